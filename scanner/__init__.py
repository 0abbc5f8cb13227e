"""pdaudit: find personal data in databases and documents and compare it with a privacy policy."""

__version__ = "0.1.0"
