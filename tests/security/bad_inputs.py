"""Inputs an attacker tries first (shared/research/reliability-anchors.md §2.2)."""

from __future__ import annotations

SQL = ["' OR '1'='1", "1;DROP TABLE take--", "1') UNION SELECT NULL--", "id desc;--"]
MARKUP = [
    '"><img src=x onerror=alert(1)>',
    "<script>alert(1)</script>",
    "{{7*7}}{% raw %}",
    "javascript:alert(1)",
]
BYTES = ["\x00", "a\x00b", "\r\nSet-Cookie: x=1", "\u202egnp.exe", "x" * 10_000]
NUMBERS = ["8", "-1", "1.5", "NaN", "1e309", "", "[]", "true"]
#: Every bad value, for every field and parameter.
BAD = SQL + MARKUP + BYTES + NUMBERS
#: Fields a form never asks for, with values that would matter if they were believed.
UNEXPECTED = {
    "is_admin": "1",
    "is_organizer": "1",
    "organization_id": "2",
    "workshop_id": "2",
    "respondent_id": "1",
    "take_id": "1",
    "consent_org": "1",
    "state": "finished",
}
ACCEPT_LANGUAGE = ["", "*", "xx;q=abc", ";;;", "en;q=1e309", "<script>", "a" * 5000, "de\x00"]
