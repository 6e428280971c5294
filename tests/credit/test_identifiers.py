"""Credit codes and ID numbers: check characters, messages naming positions, masks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from workflows.credit.identifiers import (
    USCC_CHARSET,
    mask_identifier,
    normalise_identifier,
    organisation_code_check_character,
    resident_id_check_character,
    uscc_check_character,
    validate_resident_id,
    validate_uscc,
)


def _errors(validator, code: str) -> list[ValidationError]:
    with pytest.raises(ValidationError) as raised:
        validator(code)
    return raised.value.error_list


class TestWorkedExamples:
    def test_accepts_the_credit_code_from_the_standard(self):
        validate_uscc("91350100M000100Y43")

    def test_rejects_the_altered_credit_code_from_the_standard_naming_position_18(self):
        (error,) = _errors(validate_uscc, "91350100M000100Y4Z")
        assert error.code == "check_character"
        assert error.params is not None
        assert error.params["position"] == 18
        assert error.messages == [
            "统一社会信用代码第18位校验码应为 3\uff0c实为 Z / "
            "check character 18 should be 3, found Z"
        ]

    def test_accepts_the_resident_id_from_the_standard(self):
        validate_resident_id("11010519491231002X")

    def test_the_organisation_code_inside_the_example_has_check_character_4(self):
        assert organisation_code_check_character("M000100Y") == "4"


class TestCreditCodeMessages:
    def test_names_a_character_outside_the_charset_and_lists_the_allowed_ones(self):
        (error,) = _errors(validate_uscc, "9135010OM000100Y43")
        assert error.code == "charset"
        assert error.params is not None
        assert error.params["position"] == 8
        assert "第8位字符 O" in error.messages[0]
        assert (
            "character 8 is O, expected one of 0-9 A-H J-N P-R T U W X Y"
            in (error.messages[0])
        )

    def test_names_every_bad_character_not_only_the_first(self):
        errors = _errors(validate_uscc, "I1350100M000100V43")
        assert [e.params["position"] for e in errors if e.params] == [1, 16]

    def test_names_the_organisation_check_character_at_position_17(self):
        # Changing the organisation code's check digit breaks both checks.
        errors = _errors(validate_uscc, "91350100M000100Y53")
        positions = [e.params["position"] for e in errors if e.params]
        assert positions == [17, 18]
        assert "第17位" in errors[0].messages[0]
        assert "should be 4, found 5" in errors[0].messages[0]

    def test_rejects_a_credit_code_that_only_fails_the_organisation_code_check(self):
        first17 = "91350100M000100Y5"
        code = first17 + uscc_check_character(first17)
        (error,) = _errors(validate_uscc, code)
        assert error.params is not None
        assert error.params["position"] == 17

    def test_reports_the_length_in_both_languages(self):
        (error,) = _errors(validate_uscc, "91350100M000100Y4")
        assert error.code == "length"
        assert error.messages == [
            "统一社会信用代码应为18位\uff0c实为17位 / "
            "unified social credit code must have 18 characters, found 17"
        ]

    def test_is_strict_about_lower_case_and_spaces(self):
        _errors(validate_uscc, "91350100m000100y43")
        _errors(validate_uscc, " 91350100M000100Y43")

    def test_shows_an_invisible_character_by_its_code_point(self):
        (error,) = _errors(validate_uscc, "9135010\tM000100Y43")
        assert "U+0009" in error.messages[0]

    def test_a_percent_sign_in_the_input_does_not_break_the_message(self):
        (error,) = _errors(validate_uscc, "9135010%M000100Y43")
        assert "第8位字符 % " in error.messages[0]
        assert "character 8 is %," in error.messages[0]


class TestResidentIdMessages:
    def test_names_the_wrong_check_character(self):
        (error,) = _errors(validate_resident_id, "110105194912310021")
        assert error.params is not None
        assert error.params["position"] == 18
        assert error.messages == [
            "居民身份证号码第18位校验码应为 X\uff0c实为 1 / "
            "check character 18 should be X, found 1"
        ]

    def test_names_a_non_digit_in_the_first_17(self):
        (error,) = _errors(validate_resident_id, "1101051949123100AX")
        assert error.params is not None
        assert error.params["position"] == 17
        assert "第17位应为数字" in error.messages[0]

    def test_rejects_a_birth_date_that_does_not_exist(self):
        first17 = "11010519490230002"  # 30 February
        code = first17 + resident_id_check_character(first17)
        (error,) = _errors(validate_resident_id, code)
        assert error.code == "date"
        assert "19490230" in error.messages[0]
        assert "characters 7-14" in error.messages[0]

    def test_accepts_29_february_of_a_leap_year(self):
        first17 = "11010520000229001"
        validate_resident_id(first17 + resident_id_check_character(first17))

    def test_rejects_a_lower_case_x_naming_the_expected_upper_case(self):
        (error,) = _errors(validate_resident_id, "11010519491231002x")
        assert "should be X, found x" in error.messages[0]


class TestMasking:
    def test_masks_the_birth_date_of_a_resident_id(self):
        assert mask_identifier("11010519491231002X") == "110105********002X"

    def test_masks_an_old_15_digit_id(self):
        assert mask_identifier("110105491231002") == "110105******002"

    def test_leaves_an_organisation_credit_code_readable(self):
        assert mask_identifier("91350100M000100Y43") == "91350100M000100Y43"

    def test_normalises_spaces_and_case_before_validation(self):
        assert normalise_identifier(" 91350100 m000100y43 ") == "91350100M000100Y43"


# Hypothesis: build valid codes from their parts, then break one character.
_uscc_char = st.sampled_from(USCC_CHARSET)
_ALPHABET = USCC_CHARSET + "IOSVZabcxyz -%"


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    head = "".join(draw(st.lists(_uscc_char, min_size=8, max_size=8)))
    body = "".join(draw(st.lists(_uscc_char, min_size=8, max_size=8)))
    first17 = head + body + organisation_code_check_character(body)
    return first17 + uscc_check_character(first17)


@st.composite
def valid_resident_ids(draw: st.DrawFn) -> str:
    area = draw(st.integers(min_value=110000, max_value=829999))
    birth = draw(
        st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
    )
    sequence = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_character(first17)


def _replace(code: str, position: int, char: str) -> str:
    return code[:position] + char + code[position + 1 :]


@given(valid_usccs())
def test_every_generated_credit_code_validates(code: str):
    validate_uscc(code)


@given(valid_usccs(), st.integers(min_value=0, max_value=17), st.data())
def test_any_single_character_change_to_a_credit_code_is_rejected(
    code: str, position: int, data: st.DataObject
):
    char = data.draw(st.sampled_from(_ALPHABET).filter(lambda c: c != code[position]))
    with pytest.raises(ValidationError):
        validate_uscc(_replace(code, position, char))


@given(valid_resident_ids())
def test_every_generated_resident_id_validates(code: str):
    validate_resident_id(code)


@given(valid_resident_ids(), st.integers(min_value=0, max_value=17), st.data())
def test_any_single_character_change_to_a_resident_id_is_rejected(
    code: str, position: int, data: st.DataObject
):
    char = data.draw(
        st.sampled_from("0123456789Xx A").filter(lambda c: c != code[position])
    )
    with pytest.raises(ValidationError):
        validate_resident_id(_replace(code, position, char))


@given(valid_resident_ids())
def test_a_masked_resident_id_hides_exactly_the_birth_date(code: str):
    masked = mask_identifier(code)
    assert masked[:6] == code[:6]
    assert masked[6:14] == "*" * 8
    assert masked[14:] == code[14:]
