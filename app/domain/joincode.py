"""Join codes: six characters that are easy to read aloud, copy from a projector and type.

Rule 1: the alphabet leaves out characters that look alike (0 and O, 1, I and L),
so 31 characters remain and a code is one of 31**6 (about 887 million).
Rule 2: codes come from ``secrets``, never from a seeded generator.
Rule 3: what a person types is normalised before any look-up: compatibility
forms folded (full-width letters from a phone keyboard), spaces and dashes
removed, upper-cased. Anything that is then not six alphabet characters is
not a code, and is treated exactly like a wrong code.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6
_CODE = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")  # spaces and dashes


def generate(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """Return a fresh random code."""
    return "".join(ALPHABET[randbelow(len(ALPHABET))] for _ in range(LENGTH))


def normalise(text: str | None) -> str | None:
    """Return the code ``text`` stands for, or None when it cannot be a code."""
    if not text or len(text) > 4 * LENGTH:
        return None
    folded = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()
    return folded if _CODE.fullmatch(folded) else None


def spaced(code: str) -> str:
    """Split a code in two halves for reading aloud and copying: ``ABC 234``."""
    half = LENGTH // 2
    return f"{code[:half]} {code[half:]}"
