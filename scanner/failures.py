"""What the command line says when something goes wrong that pdaudit did not foresee.

A CI job reads exit status 1 as "findings"; an unexpected exception must not look like that. It
becomes one line on stderr and exit status 3 (``EXIT_INTERNAL``); ``--debug`` adds the traceback.
The message may quote a cell or a file's text, so personal values in it are masked.
"""

from __future__ import annotations

import re

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERRORS = 2
EXIT_INTERNAL = 3

_DIGIT = re.compile(r"\d")


def redacted_message(exc: BaseException) -> str:
    """The exception's message on one line, personal values masked.

    >>> redacted_message(KeyError("users"))
    "'users'"
    >>> redacted_message(ValueError("no row for 900101300126"))
    'no row for 90********26'
    """
    text = " ".join(str(exc).split())
    try:
        from pdaudit.scanner.masking import redact

        return redact(text)
    except Exception:  # the analysis itself is what broke: hide every digit rather than fail
        return _DIGIT.sub("*", text)


def internal_error_line(exc: BaseException) -> str:
    """``internal error: <type>: <message> (run with --debug for the traceback)``."""
    message = redacted_message(exc)
    what = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return f"internal error: {what} (run with --debug for the traceback)"
