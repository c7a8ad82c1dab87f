"""Catalogs: complete, never fuzzy, placeholders intact, and built from the current strings."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.config import LOCALES, ROOT

TRANSLATIONS = ROOT / "translations"
SHIPPED = [code for code in LOCALES if code != "en"]
PERCENT = re.compile(r"%\((\w+)\)[sd]")
BRACES = re.compile(r"\{(\w+)\}")


def catalog(code: str):
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=code)


def names(text: str) -> tuple[set[str], set[str]]:
    return set(PERCENT.findall(text)), set(BRACES.findall(text))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> set[str]:
    """The message ids in the sources right now, extracted as `make extract-translations` does."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "extract", "--no-location",
         "-F", "babel.cfg", "-k", "_l", "-k", "N_", "-o", str(out), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with out.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.mark.parametrize("code", SHIPPED)
def test_every_string_is_translated_and_none_is_fuzzy(code, template):
    messages = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog(code) if m.id}
    missing = sorted(template - set(messages))
    assert not missing, f"{code}: run `make update-translations` and translate {missing[:5]}"
    for msgid in template:
        message = messages[msgid]
        assert not message.fuzzy, f"{code}: fuzzy entry {msgid!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{code}: untranslated {msgid!r}"


@pytest.mark.parametrize("code", SHIPPED)
def test_placeholders_match_the_english(code):
    for message in catalog(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = names(ids[-1])
        for text in strings:
            assert names(text) == expected or names(text) == names(ids[0]), (code, ids[0], text)


def test_compiled_catalogs_are_not_committed():
    tracked = subprocess.run(
        ["git", "ls-files", "translations"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [path for path in tracked if path.endswith(".mo")]
    assert Path("translations/messages.pot").as_posix() in tracked


@pytest.mark.parametrize("code", SHIPPED)
def test_the_interface_speaks_each_language(client, code):
    html = client.get("/", query_string={"lang": code}).text
    assert f'<html lang="{code}" dir="{"rtl" if code == "ar" else "ltr"}">' in html
    assert "Why do you act?" not in html
