"""Resident ID numbers (GB 11643-1999): check character, validation, generation."""

from datetime import date

import pytest

from renda.core.idcard import (
    birth_date_from_id,
    check_digit,
    gender_from_id,
    is_valid_id_number,
    make_id_number,
)

# Worked by hand: weighted sums 167 and 195; 167 % 11 = 2 → X, 195 % 11 = 8 → 4.
KNOWN_VALID = ["11010519491231002X", "440524188001010014"]


@pytest.mark.parametrize("number", KNOWN_VALID)
def test_known_numbers_are_valid(number):
    assert check_digit(number[:17]) == number[17]
    assert is_valid_id_number(number)


def test_lower_case_x_is_accepted():
    assert is_valid_id_number("11010519491231002x")


def test_every_check_value_maps_to_its_character():
    # Change the last order digit to walk the sum through all residues mod 11.
    seen = {check_digit(f"3701021990010100{d}") for d in range(10)}
    seen |= {check_digit(f"3701021990010101{d}") for d in range(10)}
    assert seen == set("0123456789X")


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check character (should be X)
        "440524188001010015",  # wrong check character (should be 4)
        "370102199902300011",  # 1999-02-30 does not exist
        "370102199913010011",  # month 13
        "11010519491231002",  # 17 characters
        "11010519491231002XX",  # 19 characters
        "",
        "1101051949123100X2",  # X not in last place
        "A1010519491231002X",
        "990105194912310028",  # no province 99
        "370102299001010010",  # born in the future
    ],
)
def test_invalid_numbers(number):
    assert not is_valid_id_number(number)


def test_invalid_date_even_with_correct_check_character():
    first17 = "37010219990230001"
    assert not is_valid_id_number(first17 + check_digit(first17))


def test_future_birth_date_depends_on_today():
    number = make_id_number(area="370102", birth_date=date(2030, 5, 1), sequence=3, gender="M")
    assert not is_valid_id_number(number, today=date(2026, 1, 1))
    assert is_valid_id_number(number, today=date(2031, 1, 1))


@pytest.mark.parametrize("gender,parity", [("M", 1), ("F", 0)])
def test_make_id_number_gender_parity(gender, parity):
    for sequence in (0, 1, 57, 499):
        number = make_id_number(
            area="370112", birth_date=date(1978, 2, 28), sequence=sequence, gender=gender
        )
        assert is_valid_id_number(number)
        assert number.startswith("37011219780228")
        assert int(number[16]) % 2 == parity
        assert gender_from_id(number) == gender


def test_make_id_number_distinct_sequences_give_distinct_numbers():
    numbers = {
        make_id_number(area="370103", birth_date=date(1985, 7, 9), sequence=s, gender=g)
        for s in range(500)
        for g in ("M", "F")
    }
    assert len(numbers) == 1000


def test_make_id_number_known_value():
    # 370102 19800101 003 → sequence 1, male; check character worked out by hand:
    # 3*7+7*9+0+1*5+0+2*4+1*2+9*1+8*6+0+0+1*9+0+1*5+0+0+3*2 = 176, 176 % 11 = 0 → "1".
    number = make_id_number(area="370102", birth_date=date(1980, 1, 1), sequence=1, gender="M")
    assert number == "370102198001010031"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"area": "37010", "birth_date": date(1980, 1, 1), "sequence": 1, "gender": "M"},
        {"area": "990102", "birth_date": date(1980, 1, 1), "sequence": 1, "gender": "M"},
        {"area": "370102", "birth_date": date(1980, 1, 1), "sequence": 500, "gender": "M"},
        {"area": "370102", "birth_date": date(1980, 1, 1), "sequence": -1, "gender": "F"},
        {"area": "370102", "birth_date": date(1980, 1, 1), "sequence": 1, "gender": "男"},
    ],
)
def test_make_id_number_refuses_bad_input(kwargs):
    with pytest.raises(ValueError):
        make_id_number(**kwargs)


def test_birth_date_from_id():
    assert birth_date_from_id("11010519491231002X") == date(1949, 12, 31)
    with pytest.raises(ValueError):
        birth_date_from_id("370102199902300011")
    with pytest.raises(ValueError):
        birth_date_from_id("3701021999")


def test_check_digit_requires_17_digits():
    with pytest.raises(ValueError):
        check_digit("1234")
    with pytest.raises(ValueError):
        check_digit("1101051949123100X")
