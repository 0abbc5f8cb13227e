"""How people write one Kazakhstan/Russia number: shared by the phone tests."""

from __future__ import annotations


def written_forms(n: str) -> list[str]:
    """Six common ways to write the ten-digit national number ``n`` (``7011234567``)."""
    return [
        f"+7{n}",
        f"+7 {n[:3]} {n[3:6]} {n[6:8]} {n[8:]}",
        f"8{n}",
        f"8({n[:3]}){n[3:]}",
        f"8 {n[:3]} {n[3:6]} {n[6:]}",
        f"7 ({n[:3]}) {n[3:6]}-{n[6:8]}-{n[8:]}",
    ]


def as_matched(found: tuple) -> tuple:
    """Start, end, raw string and number of what ``PhoneRecognizer._matches`` gives, as the
    matcher gives them: a number ``_plain_match`` left unmade is +7 and its ten digits."""
    import phonenumbers

    from pdaudit.recognizers.phone_number import _national

    start, end, raw, number = found[:4]
    if number is None:
        number = phonenumbers.PhoneNumber(country_code=7, national_number=int(_national(raw)))
    return start, end, raw, number
