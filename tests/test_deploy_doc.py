"""The operators' documents name the settings that the app and gunicorn read, and only
those: docs/deploy.md all of gunicorn's, and it and the README only real ones of the app's."""

from __future__ import annotations

import re
from pathlib import Path

from app.config import defaults

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "docs" / "deploy.md"
README = ROOT / "README.md"
#: Read by the app itself rather than through its configuration.
READ_DIRECTLY = {"WHYIACT_DEMO_PASSWORD"}


def named(pattern: str, *documents: Path) -> set[str]:
    text = "\n".join(document.read_text(encoding="utf-8") for document in documents)
    return set(re.findall(rf"`({pattern})(?:=[^`]*)?`", text))


def test_every_gunicorn_setting_is_documented_and_every_documented_one_is_read():
    conf = (ROOT / "gunicorn.conf.py").read_text(encoding="utf-8")
    read = set(re.findall(r'(?:_int\(|environ\.get\()"([A-Z_]+)"', conf))
    assert {"WEB_CONCURRENCY", "GUNICORN_TIMEOUT"} <= read
    assert named(r"(?:GUNICORN|WEB)_[A-Z_]+", DEPLOY) == read


def test_every_documented_app_setting_is_one_the_app_has():
    settings = set(defaults("/nonexistent"))
    documented = named(r"WHYIACT_[A-Z_]+", DEPLOY, README) - READ_DIRECTLY
    assert documented, "the settings table names WHYIACT_ settings"
    unknown = {name for name in documented if name.removeprefix("WHYIACT_") not in settings}
    assert not unknown


def test_the_example_env_file_sets_what_compose_requires_and_only_real_settings():
    example = (ROOT / "deploy" / "env.example").read_text(encoding="utf-8")
    set_there = set(re.findall(r"^#?\s*([A-Z_]+)=", example, re.MULTILINE))
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    required = set(re.findall(r"\$\{([A-Z_]+):\?", compose))
    assert {"SECRET_KEY", "WHYIACT_TRUSTED_PROXIES"} <= required <= set_there
    settings = set(defaults("/nonexistent"))
    app_settings = {name for name in set_there if name.startswith("WHYIACT_")}
    assert app_settings and all(name.removeprefix("WHYIACT_") in settings for name in app_settings)
