"""What volunteer pages share: today's date, the current take, group labels."""

from __future__ import annotations

import datetime as dt

from flask import session, url_for

from app import instruments
from app.domain.i18n import N_
from app.domain.take import Step, StepKind
from app.models import Respondent, Take
from app.services import takes
from app.web import keys
from app.web.i18n import gettext as _

#: Used only when neither the take nor the session names a cause.
FALLBACK_LABELS = {
    "ingroup": N_("people in my own group"),
    "outgroup": N_("the people I act for"),
    "cause": N_("this cause"),
}


def today() -> dt.date:
    """Today's date in UTC: takes record days, never times."""
    return dt.datetime.now(dt.UTC).date()


def current_respondent(load: str = "nothing") -> Respondent | None:
    """The respondent of this browser's private link, with their takes and what else
    ``load`` names (see ``takes.respondent_for``)."""
    return takes.respondent_for(keys.token_from_request(), load=load)


def labels(take: Take | None) -> dict[str, str]:
    """The group labels that fill item templates: a workshop's own, or the cause preset's.

    Without a take (the database is away) the labels remembered in the session
    are used, so that a page can still be shown with the person's answers.
    """
    custom = takes.group_labels(take) if take is not None else session.get("labels")
    if custom:
        return dict(custom)
    preset = instruments.cause(take.cause_key if take is not None else session.get("cause"))
    if preset is None:
        return {k: _(v) for k, v in FALLBACK_LABELS.items()}
    return {"ingroup": _(preset.ingroup), "outgroup": _(preset.outgroup), "cause": _(preset.cause)}


def fill(template: str, group_labels: dict[str, str]) -> str:
    """Translate an instrument template and put the group labels in."""
    return _(template).format(**group_labels)


def fill_labels(template: str, label_pairs: tuple[tuple[str, str], ...]) -> str:
    """``fill`` with the group labels given as pairs, the form a kept macro is called with."""
    return fill(template, dict(label_pairs))


def remember_cause(take: Take) -> None:
    """Keep the cause in the session so a page can be re-rendered without the database."""
    custom = takes.group_labels(take)
    if custom and session.get("labels") != custom:
        session["labels"] = custom
    elif not custom and take.cause_key and session.get("cause") != take.cause_key:
        session.pop("labels", None)
        session["cause"] = take.cause_key


def step_url(step: Step | None) -> str:
    if step is None:
        return url_for("profile.show_profile")
    if step.kind is StepKind.CAUSE:
        return url_for("survey.choose_cause")
    if step.kind is StepKind.PAGE:
        return url_for("survey.answer_page", page_key=step.key)
    return url_for("survey.answer_scenario", scenario_key=step.key)
