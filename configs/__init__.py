"""pdaudit's shipped configuration: the Mirum policy and the recognizer registry (YAML).

Installed as ``pdaudit.configs``; code reads the files with ``importlib.resources``.
"""
