"""GB 32100-2015 check character: real codes pass; every single-character mistake is caught."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from orgs.credit_code import (
    CHARSET,
    check_character,
    is_valid_credit_code,
    make_credit_code,
    normalize_credit_code,
    validate_credit_code,
)

# Published codes of well-known companies and the standard's own example.
KNOWN_VALID = [
    "91350100M000100Y43",
    "9144030071526726XG",
    "914403001922038216",
    "91330100716105852F",
    "91110000600037341L",
]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_published_codes_are_valid(code):
    assert is_valid_credit_code(code)
    assert check_character(code[:-1]) == code[-1]


def test_weights_are_powers_of_three_modulo_31():
    from orgs.credit_code import WEIGHTS

    assert tuple(pow(3, i, 31) for i in range(17)) == WEIGHTS


def test_every_single_character_substitution_is_refused():
    code = KNOWN_VALID[0]
    for position in range(18):
        for char in CHARSET:
            if char != code[position]:
                mutated = code[:position] + char + code[position + 1 :]
                assert not is_valid_credit_code(mutated), mutated


def test_every_adjacent_transposition_of_different_characters_is_refused():
    for code in KNOWN_VALID:
        for i in range(17):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
                assert not is_valid_credit_code(swapped), swapped


def test_a_remainder_of_zero_gives_check_character_zero():
    # Find a body whose weighted sum is a multiple of 31: the check is "0", not "31".
    body = next(b for b in (f"9133050{n:010d}" for n in range(10_000)) if check_character(b) == "0")
    assert is_valid_credit_code(body + "0")
    assert not is_valid_credit_code(body + "Y")


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("9135010", "18"),
        ("91350100M000100Y43X", "18"),
        ("91350100M00010OY43", "O"),  # letter O instead of zero
        ("91350100I000100Y43", "I"),
        ("91350100M000100Y44", "3"),  # the message names the expected check character
    ],
)
def test_a_wrong_code_is_refused_with_a_message_that_says_why(code, fragment):
    with pytest.raises(ValidationError) as info:
        validate_credit_code(code)
    assert fragment in " ".join(info.value.messages)


def test_normalizing_accepts_what_people_type():
    assert normalize_credit_code(" ９１３５０１００ｍ０００１００ｙ４３ ") == "91350100M000100Y43"
    assert normalize_credit_code("91350100-M000100Y43") == "91350100M000100Y43"
    assert normalize_credit_code(None) == ""


@given(st.text(alphabet=CHARSET, min_size=17, max_size=17))
def test_a_made_code_is_valid_and_any_changed_character_is_not(body):
    code = make_credit_code(body)
    assert is_valid_credit_code(code)
    position = sum(map(ord, body)) % 18
    replacement = CHARSET[(CHARSET.index(code[position]) + 1) % len(CHARSET)]
    assert not is_valid_credit_code(code[:position] + replacement + code[position + 1 :])
