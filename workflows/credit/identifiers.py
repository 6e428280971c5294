"""Check the identifiers subjects are known by, and mask the personal ones.

* Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
  31-character set valued 0..30; character 18 is a mod-31 check over the first 17.
  Characters 9-17 carry the old organisation code (GB 11714), whose 9th character
  (position 17) is its own mod-11 check.
* Resident ID number (居民身份证号码, GB 11643-1999): 17 digits and a mod-11 check
  character; characters 7-14 are the date of birth.

Validators are strict (no trimming, no case folding); :func:`normalise_identifier`
is what input handling applies first. Every message names the position at fault and
what was expected there, in Chinese and English, because the person correcting the
code is usually reading it off a paper licence or ID card. Chinese punctuation is
written as escapes (\\uff0c is the full-width comma) so ruff's check for confusable
characters (RUF001) can stay on.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_VALUES = {char: value for value, char in enumerate(USCC_CHARSET)}
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
USCC_LENGTH = 18
# GB 11714: digits are worth 0..9 and letters A..Z 10..35.
ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"
RESIDENT_ID_LENGTH = 18

_USCC_CHARSET_TEXT = "0-9 A-H J-N P-R T U W X Y"
_RESIDENT_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_OLD_RESIDENT_ID_SHAPE = re.compile(r"[0-9]{15}")


def normalise_identifier(code: str) -> str:
    """Return the code without surrounding or inner spaces, in upper case."""
    return "".join(code.split()).upper()


def uscc_check_character(first17: str) -> str:
    """Return the GB 32100 check character (position 18) for 17 valid characters."""
    total = sum(
        USCC_VALUES[char] * weight
        for char, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_CHARSET[(31 - total % 31) % 31]


def organisation_code_check_character(body8: str) -> str:
    """Return the GB 11714 check character for an 8-character organisation code."""
    total = sum(
        int(char, 36) * weight
        for char, weight in zip(body8, ORGANISATION_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def resident_id_check_character(first17: str) -> str:
    """Return the GB 11643 check character for 17 digits."""
    total = sum(
        int(char) * weight
        for char, weight in zip(first17, RESIDENT_ID_WEIGHTS, strict=True)
    )
    return RESIDENT_ID_CHECK[total % 11]


def validate_uscc(code: str) -> None:
    """Raise ValidationError naming each wrong character of a credit code."""
    if len(code) != USCC_LENGTH:
        raise _length_error("统一社会信用代码", "unified social credit code", code)
    errors = [
        ValidationError(
            "统一社会信用代码第%(position)s位字符 %(found)s 无效\uff0c应为 "
            "%(expected)s 之一 / character %(position)s is %(found)s, "
            "expected one of %(expected)s",
            code="charset",
            params={
                "position": position,
                "found": _show(char),
                "expected": _USCC_CHARSET_TEXT,
            },
        )
        for position, char in enumerate(code[:17], start=1)
        if char not in USCC_VALUES
    ]
    if errors:
        raise ValidationError(errors)
    organisation_check = organisation_code_check_character(code[8:16])
    if code[16] != organisation_check:
        errors.append(
            _check_error(
                "统一社会信用代码第17位\uff08组织机构代码校验码\uff09",
                "check character 17 (of the organisation code)",
                17,
                organisation_check,
                code[16],
            )
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        errors.append(
            _check_error(
                "统一社会信用代码第18位校验码",
                "check character 18",
                18,
                expected,
                code[17],
            )
        )
    if errors:
        raise ValidationError(errors)


def validate_resident_id(code: str) -> None:
    """Raise ValidationError naming each wrong character of a resident ID number."""
    if len(code) != RESIDENT_ID_LENGTH:
        raise _length_error("居民身份证号码", "resident ID number", code)
    errors = [
        ValidationError(
            "居民身份证号码第%(position)s位应为数字\uff0c实为 %(found)s / "
            "character %(position)s should be a digit, found %(found)s",
            code="charset",
            params={"position": position, "found": _show(char)},
        )
        for position, char in enumerate(code[:17], start=1)
        if char not in "0123456789"
    ]
    if errors:
        raise ValidationError(errors)
    birth = code[6:14]
    if _date_or_none(birth) is None:
        errors.append(
            ValidationError(
                "居民身份证号码第7-14位出生日期 %(found)s 不是有效日期 / "
                "characters 7-14 (%(found)s) are not a real date of birth",
                code="date",
                params={"position": 7, "found": birth},
            )
        )
    expected = resident_id_check_character(code[:17])
    if code[17] != expected:
        errors.append(
            _check_error(
                "居民身份证号码第18位校验码",
                "check character 18",
                18,
                expected,
                code[17],
            )
        )
    if errors:
        raise ValidationError(errors)


def mask_identifier(code: str) -> str:
    """Hide the date of birth in anything shaped like a resident ID number.

    ``11010519491231002X`` becomes ``110105********002X``. Codes of any other shape
    (an organisation's credit code is public information) come back unchanged. A
    credit code made only of digits has the shape of an ID number and is masked:
    the caller that knows the subject's kind decides better (``Subject.masked_code``).
    """
    if _RESIDENT_ID_SHAPE.fullmatch(code):
        return f"{code[:6]}{'*' * 8}{code[14:]}"
    if _OLD_RESIDENT_ID_SHAPE.fullmatch(code):
        return f"{code[:6]}{'*' * 6}{code[12:]}"
    return code


def _date_or_none(yyyymmdd: str) -> dt.date | None:
    try:
        return dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return None


def _show(char: str) -> str:
    return char if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"


def _length_error(name_zh: str, name_en: str, code: str) -> ValidationError:
    return ValidationError(
        f"{name_zh}应为18位\uff0c实为%(length)s位 / "
        f"{name_en} must have 18 characters, found %(length)s",
        code="length",
        params={"position": None, "length": len(code)},
    )


def _check_error(
    where_zh: str, where_en: str, position: int, expected: str, found: str
) -> ValidationError:
    return ValidationError(
        f"{where_zh}应为 %(expected)s\uff0c实为 %(found)s / "
        f"{where_en} should be %(expected)s, found %(found)s",
        code="check_character",
        params={"position": position, "expected": expected, "found": _show(found)},
    )
