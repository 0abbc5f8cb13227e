"""Presidio recognizers for Russian and Kazakh personal data.

Each module holds one entity type. Validators are pure functions (``compact``, ``validate``,
``is_valid``) kept apart from the Presidio classes that find candidates in text.
"""
