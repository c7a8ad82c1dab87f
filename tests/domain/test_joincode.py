"""Join codes: readable, random, and normalised the same way every time."""

from __future__ import annotations

import pytest

from app.domain import joincode
from app.domain.joincode import ALPHABET, LENGTH, generate, normalise, spaced


def test_the_alphabet_leaves_out_look_alikes():
    for confusable in "0O1IL":
        assert confusable not in ALPHABET
    assert len(set(ALPHABET)) == len(ALPHABET) == 31
    assert ALPHABET.upper() == ALPHABET


def test_generated_codes_use_the_alphabet_and_differ():
    codes = {generate() for _ in range(200)}
    assert len(codes) == 200  # 31**6 codes: a repeat in 200 draws would be a bug
    assert all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in codes)


def test_generation_uses_the_given_source():
    assert generate(lambda n: 0) == "AAAAAA"
    assert generate(lambda n: n - 1) == "999999"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ABC234", "ABC234"),
        ("abc234", "ABC234"),
        (" abc 234 ", "ABC234"),
        ("abc-234", "ABC234"),
        ("ABC–234", "ABC234"),  # an en dash from a phone keyboard
        ("ＡＢＣ２３４", "ABC234"),  # full-width letters and digits
    ],
)
def test_normalise_accepts_what_people_type(typed, code):
    assert normalise(typed) == code


@pytest.mark.parametrize(
    "typed", [None, "", "ABC23", "ABC2345", "ABC0O1", "ABCIL2", "ABC 23!", "A" * 200, "ABC\x00234"]
)
def test_normalise_refuses_anything_else(typed):
    assert normalise(typed) is None


def test_spaced_splits_in_halves():
    assert spaced("ABC234") == "ABC 234"
    assert normalise(spaced("ABC234")) == "ABC234"


def test_the_module_is_pure():
    assert not hasattr(joincode, "flask")
