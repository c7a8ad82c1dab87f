"""The volunteer's journey: consent, private link, cause, pages and scenarios.

Every post is saved as it arrives. Whatever goes wrong on a post (an expired
form, a lost cookie, a database that is down, an invalid answer), the page comes
back with the person's answers still filled in and a plain message.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from markupsafe import Markup

from app.domain.take import Step, StepKind, may_open
from app.models import Take
from app.services import DatabaseUnavailable, takes
from app.web import keys
from app.web.context import current_respondent, fill, labels, remember_cause, step_url, today
from app.web.forms import FirstView
from app.web.i18n import gettext as _
from app.web.survey import bp
from app.web.survey.forms import CauseForm, ConsentForm, page_form, scenario_form

#: Messages for trouble that is nobody's fault; shown above the form.
STALE_FORM = "stale"
NO_TAKE = "no_take"
UNAVAILABLE = "unavailable"


def _notice(kind: str | None) -> str | None:
    if kind == STALE_FORM:
        return _(
            "This page was open for a while, so we need you to press the button once more. "
            "Your answers are still here."
        )
    if kind == NO_TAKE:
        return _(
            "We could not find your answers on this device. Open your private link in a new "
            "tab, then come back and press the button here again: your answers on this page "
            "are still here."
        )
    if kind == UNAVAILABLE:
        return _(
            "We could not save this page just now. Your answers are still here: please press "
            "the button again in a moment."
        )
    return None


def _open_take() -> Take | None:
    respondent = current_respondent()
    return takes.open_take(respondent) if respondent else None


def _latest_take() -> Take | None:
    """The open take, or else the newest finished one (to show a scenario's reflection)."""
    respondent = current_respondent("choices")
    if respondent is None or not respondent.takes:
        return None
    return takes.open_take(respondent) or respondent.takes[-1]


def _joined_workshop():
    """The workshop this browser joined by code, while it still takes people."""
    from app.services import workshops

    workshop = workshops.joined(session.get("workshop_id"))
    if workshop is None:
        session.pop("workshop_id", None)
    return workshop


@bp.route("/start", methods=["GET", "POST"])
def start_take():
    form = ConsentForm()
    try:
        workshop = _joined_workshop()
    except DatabaseUnavailable:
        workshop = None
    page = {"form": form, "workshop": workshop}
    if request.method == "GET":
        form.nonce.data = takes.new_nonce()
        return render_template("survey/start_take.html", **page)
    if not takes.is_well_formed(form.nonce.data):
        form.nonce.data = takes.new_nonce()
    if not form.validate():
        notice = STALE_FORM if form.csrf_failed else None
        return render_template("survey/start_take.html", notice=_notice(notice), **page)
    consents = takes.Consents(room=bool(workshop and form.room.data), org=form.org.data)
    try:
        token, _take = takes.start(
            form.nonce.data, consents, str(get_locale()), today(), workshop=workshop
        )
    except takes.StaleStart:
        return redirect(url_for("profile.show_profile"), code=303)
    except DatabaseUnavailable:
        return render_template("survey/start_take.html", notice=_notice(UNAVAILABLE), **page), 503
    session.pop("workshop_id", None)
    return keys.remember(redirect(url_for("survey.show_key"), code=303), token)


@bp.get("/key")
def show_key():
    """Show the private link: the only page that ever shows the token."""
    import segno

    token = keys.token_from_request()
    respondent = current_respondent()
    if respondent is None:
        return render_template("survey/no_take.html"), 404
    link = url_for("profile.open_link", token=token, _external=True)
    qr = segno.make(link, error="m", micro=False)
    # segno writes this SVG from our own URL; nothing a person typed reaches it.
    svg = Markup(  # noqa: S704
        qr.svg_inline(
            scale=4,
            border=2,
            dark="#000",
            light="#fff",
            omitsize=True,
            title=_("QR code of your private link"),
        )
    )
    take = takes.open_take(respondent)
    return render_template("survey/show_key.html", link=link, qr=svg, take=take)


@bp.get("/take")
def resume_take():
    """Go to the first step of the open take that has not been answered yet."""
    respondent = current_respondent()
    if respondent is None:
        return render_template("survey/no_take.html"), 404
    take = takes.open_take(respondent)
    if take is None:
        return redirect(url_for("profile.show_profile"), code=303)
    step = takes.next_step(take)
    if step is None:
        # Every step was saved, but finishing was not (the database went away between).
        takes.finish(take, today())
    return redirect(step_url(step), code=303)


def _progress(take: Take | None, step: Step) -> dict[str, int]:
    if take is None:
        return {}
    journey = takes.journey(take)
    return {"number": journey.index(step) + 1, "total": len(journey)}


def _after(take: Take, step: Step) -> str:
    """Where to go once ``step`` is submitted: the next step in order, or the profile."""
    journey = takes.journey(take)
    index = journey.index(step) + 1
    return step_url(journey[index] if index < len(journey) else None)


def _not_in_journey(take: Take | None, step: Step):
    """Redirect when ``step`` is not part of the take (a workshop set the cause or left out
    the scenarios): there is nothing to show or save there."""
    if take is not None and step not in takes.journey(take):
        return redirect(url_for("survey.resume_take"), code=303)
    return None


def _guard(take: Take | None, step: Step):
    """Redirect when the take is missing or the step cannot be opened yet."""
    if take is None:
        return redirect(url_for("survey.resume_take"), code=303)
    if not may_open(takes.journey(take), take.reached, step):
        return redirect(step_url(takes.next_step(take)), code=303)
    return None


@bp.route("/take/cause", methods=["GET", "POST"])
def choose_cause():
    step = Step(StepKind.CAUSE)
    take, notice = None, None
    form = CauseForm()
    try:
        take = _open_take()
        if request.method == "GET":
            if (response := _guard(take, step)) is not None:
                return response
            form.cause.data = take.cause_key
        elif take is None:
            notice = NO_TAKE
        elif (response := _not_in_journey(take, step)) is not None:
            return response
        elif form.validate():
            target = _after(take, step)
            takes.choose_cause(take, form.cause.data)
            remember_cause(take)
            return redirect(target, code=303)
        elif form.csrf_failed:
            notice = STALE_FORM
    except DatabaseUnavailable:
        return _render_cause(form, None, UNAVAILABLE), 503
    return _render_cause(form, take, notice)


def _render_cause(form, take, notice):
    from app.instruments import PRESETS

    return render_template(
        "survey/choose_cause.html",
        form=form,
        presets=PRESETS,
        progress=_progress(take, Step(StepKind.CAUSE)),
        notice=_notice(notice),
    )


@bp.route("/take/page/<page_key>", methods=["GET", "POST"])
def answer_page(page_key: str):
    from app.instruments import CURRENT

    page = next((p for p in CURRENT.pages if p.key == page_key), None)
    if page is None:
        abort(404)
    step = Step(StepKind.PAGE, page_key)
    form_class = page_form(CURRENT, page_key)
    take, notice, blanks = None, None, 0
    try:
        # A page shows its saved answers (read as plain values) and a post saves them
        # without reading them: neither loads the take's answers as objects.
        take = _open_take()
        if request.method == "GET":
            if (response := _guard(take, step)) is not None:
                return response
            saved = takes.responses_of(take).answers
            remember_cause(take)
            return _render_page(_first_view(page, saved), take, page, None, 0)
        form = form_class()
        if take is None:
            notice = NO_TAKE
        elif form.validate():
            answers = {k: form[f"item_{k}"].data for k in page.items}
            blanks = sum(1 for v in answers.values() if v is None)
            if blanks and form.confirm_skip.data != "1":
                form.confirm_skip.data = "1"
            else:
                given = {k: v for k, v in answers.items() if v is not None}
                # Where to go next does not depend on the answers: work it out before the
                # commit, which expires the take (reading it back costs a query).
                target = _after(take, step)
                takes.save_page(take, page_key, given, today())
                return redirect(target, code=303)
        elif form.csrf_failed:
            notice = STALE_FORM
    except DatabaseUnavailable:
        return _render_page(form_class(), None, page, UNAVAILABLE, 0), 503
    return _render_page(form, take, page, notice, blanks)


def _first_view(page, saved: dict[str, int]) -> FirstView:
    """A questionnaire page's form as first shown: the saved answers filled in."""
    fields = {f"item_{k}": saved.get(k) for k in page.items}
    fields["confirm_skip"] = None
    return FirstView(fields)


def _render_page(form, take, page, notice, blanks, instrument=None, **extra):
    from app.instruments import CURRENT

    instrument = instrument or CURRENT
    group_labels = labels(take)
    # A first view's scales are drawn once per answer, item, labels and language and
    # then kept (``shown_likert``): their texts are filled in only when drawn.
    first_view = isinstance(form, FirstView)
    questions = [
        (item, form[f"item_{item.key}"], None if first_view else fill(item.text, group_labels))
        for item in instrument.page_items(page)
    ]
    if "action" not in extra:
        extra["action"] = url_for("survey.answer_page", page_key=page.key)
    if "progress" not in extra:
        extra["progress"] = _progress(take, Step(StepKind.PAGE, page.key))
    return render_template(
        "survey/answer_page.html",
        form=form,
        page=page,
        questions=questions,
        first_view=first_view,
        label_pairs=tuple(group_labels.items()),
        scale=instrument.response_scale,
        scale_labels=tuple(_(label) for label in instrument.response_scale.labels),
        notice=_notice(notice),
        blanks=blanks,
        **extra,
    )


def _deeper_take() -> Take | None:
    """The newest finished take, when it has opened the deeper module."""
    respondent = current_respondent()
    if respondent is None:
        return None
    finished = takes.finished_takes(respondent)
    take = finished[-1] if finished else None
    return take if take is not None and take.deeper_version is not None else None


@bp.route("/take/deeper/<page_key>", methods=["GET", "POST"])
def answer_deeper_page(page_key: str):
    """A page of the optional deeper module; the sensitive page can be skipped whole."""
    from app.instruments import CURRENT_DEEPER, deeper_v1

    instrument = CURRENT_DEEPER
    page = next((p for p in instrument.pages if p.key == page_key), None)
    if page is None:
        abort(404)
    index = instrument.pages.index(page)
    sensitive = any(instrument.scale(instrument.item(k).scale).sensitive for k in page.items)
    form_class = page_form(instrument, page_key)
    after = (
        url_for("survey.answer_deeper_page", page_key=instrument.pages[index + 1].key)
        if index + 1 < len(instrument.pages)
        else url_for("profile.show_profile", _anchor="deeper")
    )
    extra = {
        "action": url_for("survey.answer_deeper_page", page_key=page_key),
        "progress": {"number": index + 1, "total": len(instrument.pages)},
        "intro": deeper_v1.SENSITIVE_INTRO if sensitive else None,
        "can_skip": sensitive,
        "instrument": instrument,
    }
    take, notice, blanks = None, None, 0
    try:
        take = _deeper_take()
        if request.method == "GET":
            if take is None:
                return redirect(url_for("profile.show_profile"), code=303)
            if index > take.deeper_reached:
                next_key = takes.deeper_next_page(take)
                target = (
                    url_for("survey.answer_deeper_page", page_key=next_key) if next_key else after
                )
                return redirect(target, code=303)
            saved = takes.responses_of(take).answers
            return _render_page(_first_view(page, saved), take, page, None, 0, **extra)
        form = form_class()
        skip = sensitive and request.form.get("action") == "skip"
        if take is None:
            notice = NO_TAKE
        elif form.validate():
            answers = {k: form[f"item_{k}"].data for k in page.items}
            given = {k: v for k, v in answers.items() if v is not None and not skip}
            blanks = 0 if skip else len(answers) - len(given)
            if blanks and form.confirm_skip.data != "1":
                form.confirm_skip.data = "1"
            else:
                takes.save_deeper_page(take, page_key, given)
                return redirect(after, code=303)
        elif form.csrf_failed:
            notice = STALE_FORM
    except DatabaseUnavailable:
        return _render_page(form_class(), None, page, UNAVAILABLE, 0, **extra), 503
    return _render_page(form, take, page, notice, blanks, **extra)


@bp.route("/take/scenario/<scenario_key>", methods=["GET", "POST"])
def answer_scenario(scenario_key: str):
    from app.instruments import CURRENT

    try:
        scenario = CURRENT.scenario(scenario_key)
    except KeyError:
        abort(404)
    step = Step(StepKind.SCENARIO, scenario_key)
    take, notice = None, None
    if request.method == "GET":
        form = FirstView({"option": None})
        try:
            take = _latest_take()
            if (response := _not_in_journey(take, step)) is not None:
                return response
            if take is not None and take.finished:
                return _render_scenario(form, take, scenario, None)
            if (response := _guard(take, step)) is not None:
                return response
            return _render_scenario(form, take, scenario, None)
        except DatabaseUnavailable:
            return _render_scenario(form, None, scenario, UNAVAILABLE), 503
    form = scenario_form(scenario)()
    try:
        take = _latest_take()
        if take is None:
            notice = NO_TAKE
        elif (response := _not_in_journey(take, step)) is not None:
            return response
        elif take.finished or scenario_key in takes.choices_of(take):
            # A double tap, or the back button: the first choice stands. When the first
            # post saved the last choice but its answer never arrived (the connection
            # broke after PostgreSQL committed it), this one finishes the take.
            takes.finish_if_done(take, today())
            return redirect(url_for("survey.answer_scenario", scenario_key=scenario_key), 303)
        else:
            valid = form.validate()
            skip = request.form.get("action") == "skip"
            if form.csrf_failed:
                notice = STALE_FORM
            elif valid and skip:
                target = _after(take, step)
                takes.save_choice(take, scenario_key, None, today())
                return redirect(target, code=303)
            elif valid and form.option.data is not None:
                takes.save_choice(take, scenario_key, form.option.data, today())
                return redirect(url_for("survey.answer_scenario", scenario_key=scenario_key), 303)
            elif valid:
                form.option.errors = [_("Choose what you would most likely do, or skip this one.")]
    except DatabaseUnavailable:
        return _render_scenario(form, None, scenario, UNAVAILABLE), 503
    return _render_scenario(form, take, scenario, notice)


def _render_scenario(form, take, scenario, notice):
    chosen = takes.choices_of(take).get(scenario.key) if take is not None else None
    group_labels = labels(take)
    step = Step(StepKind.SCENARIO, scenario.key)
    return render_template(
        "survey/answer_scenario.html",
        form=form,
        scenario=scenario,
        chosen=scenario.option(chosen) if chosen else None,
        fill=lambda text: fill(text, group_labels),
        progress=_progress(take, step),
        next_url=_after(take, step) if take is not None else None,
        to_profile=take is not None and takes.journey(take)[-1] == step,
        finished=bool(take and take.finished),
        notice=_notice(notice),
    )
