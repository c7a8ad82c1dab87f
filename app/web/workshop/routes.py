"""Workshops for staff (list, create, detail, projector, room, guide, lifecycle, accounts),
the volunteer's way in by join code, and the app's own copy of plotly.js.

Every staff page says on its route who may open it (``role_required``); whose
workshop it is is checked by the services, and anything not yours is "not
found", exactly like a page that does not exist. GET never writes.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import hashlib
from pathlib import Path

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from wtforms import SelectChoice

from app import instruments
from app.domain import joincode
from app.domain.debrief import RoomPattern, select_prompts
from app.domain.errors import InvalidTransition
from app.domain.instrument import MOTIVES
from app.domain.room import HIGH_FROM, LOW_BELOW
from app.domain.workshop import (
    Module,
    WorkshopEvent,
    WorkshopState,
    allowed,
    joinable,
    refusal,
    shows_figures,
)
from app.extensions import limiter
from app.instruments import guide_v1
from app.models import Role, Workshop
from app.services import DatabaseUnavailable, accounts, rooms, workshops
from app.web import lang_cookie_name, offered_locales, remember_language
from app.web.access import role_required
from app.web.i18n import gettext as _
from app.web.workshop import bp
from app.web.workshop.forms import CUSTOM, AccountForm, ButtonForm, JoinForm, WorkshopForm

STAFF = (Role.FACILITATOR, Role.ORGANIZER)

STATE_NAMES = {
    WorkshopState.CREATED: _l("Not opened yet"),
    WorkshopState.OPEN: _l("Round running"),
    WorkshopState.ROUND_CLOSED: _l("Round closed"),
    WorkshopState.CLOSED: _l("Closed"),
}
EVENT_NAMES = {
    WorkshopEvent.OPEN: _l("Open the workshop"),
    WorkshopEvent.CLOSE_ROUND: _l("Close the round"),
    WorkshopEvent.REOPEN: _l("Start a second round"),
    WorkshopEvent.CLOSE: _l("Close the workshop"),
}
EVENT_DONE = {
    WorkshopEvent.OPEN: _l("The workshop is open: people can join with the code."),
    WorkshopEvent.CLOSE_ROUND: _l("The round is closed."),
    WorkshopEvent.REOPEN: _l("The second round is running."),
    WorkshopEvent.CLOSE: _l("The workshop is closed. Its code no longer works."),
}
MODULE_NAMES = {
    Module.CORE: _l("Core questionnaire"),
    Module.DEEPER: _l("Going deeper"),
    Module.SCENARIOS: _l("Situations from movement life"),
}
BIN_NAMES = (
    _l("Less than the others (under %(low)s)"),
    _l("About even (%(low)s to under %(high)s)"),
    _l("Emphasised (%(high)s or more)"),
)


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def group_labels(workshop: Workshop) -> dict[str, str]:
    """The cause and group labels of a workshop: a translated preset or the facilitator's own."""
    preset = instruments.cause(workshop.cause_key)
    if preset is not None:
        return {
            "cause": _(preset.cause),
            "ingroup": _(preset.ingroup),
            "outgroup": _(preset.outgroup),
        }
    return {
        "cause": workshop.cause_label or "",
        "ingroup": workshop.ingroup_label or "",
        "outgroup": workshop.outgroup_label or "",
    }


def _filler(workshop: Workshop):
    """Translate a text template and put the workshop's labels and threshold in."""
    values = {**group_labels(workshop), "k_room": workshop.k_room}
    return lambda text: _(text).format(**values)


def modules_of(workshop: Workshop) -> list[Module]:
    out = [Module.CORE]
    if workshop.with_deeper:
        out.append(Module.DEEPER)
    if workshop.with_scenarios:
        out.append(Module.SCENARIOS)
    return out


def _find(workshop_id: int) -> Workshop:
    workshop = workshops.find(current_user, workshop_id)
    if workshop is None:
        abort(404)
    return workshop


def _find_room(workshop_id: int) -> Workshop:
    workshop = workshops.find_room(current_user, workshop_id)
    if workshop is None:
        abort(404)
    return workshop


def _page_globals() -> dict:
    return {
        "state_names": STATE_NAMES,
        "event_names": EVENT_NAMES,
        "module_names": MODULE_NAMES,
        "spaced": joincode.spaced,
    }


@bp.get("/staff")
@role_required(*STAFF)
def list_workshops():
    return render_template(
        "workshop/list_workshops.html",
        workshops=workshops.visible_to(current_user),
        labels=group_labels,
        **_page_globals(),
    )


@bp.route("/staff/workshops/new", methods=["GET", "POST"])
@role_required(Role.FACILITATOR)
def create_workshop():
    form = WorkshopForm()
    form.locale.choices = [SelectChoice(code) for code in offered_locales()]
    if request.method == "GET":
        form.locale.data = str(request.accept_languages.best_match(offered_locales()) or "en")
    if request.method == "POST" and form.validate():
        custom = form.cause.data == CUSTOM
        spec = workshops.WorkshopSpec(
            title=form.title.data,
            locale=form.locale.data,
            cause_key=None if custom else form.cause.data,
            cause_label=form.cause_label.data if custom else None,
            ingroup_label=form.ingroup_label.data if custom else None,
            outgroup_label=form.outgroup_label.data if custom else None,
            with_deeper=form.deeper.data,
            with_scenarios=form.scenarios.data,
            k_room=form.k_room.data,
        )
        try:
            workshop = workshops.create(current_user, spec, today())
        except workshops.WorkshopError:
            form.form_errors.append(_("The workshop could not be created. Please try again."))
        except DatabaseUnavailable:
            form.form_errors.append(_("We could not save just now. Please try again in a moment."))
        else:
            flash(_("The workshop is ready. Open it when the room is ready to join."))
            return redirect(url_for("workshop.show_workshop", workshop_id=workshop.id), code=303)
    return render_template("workshop/create_workshop.html", form=form, custom=CUSTOM)


@bp.get("/staff/workshops/<int:workshop_id>")
@role_required(*STAFF)
def show_workshop(workshop_id: int):
    workshop = _find(workshop_id)
    state = WorkshopState(workshop.state)
    return render_template(
        "workshop/show_workshop.html",
        workshop=workshop,
        state=state,
        labels=group_labels(workshop),
        modules=modules_of(workshop),
        events=allowed(state, workshop.round),
        sees_room=workshops.may_see_room(current_user, workshop),
        form=ButtonForm(),
        **_page_globals(),
    )


@bp.post("/staff/workshops/<int:workshop_id>/<event>")
@role_required(*STAFF)
def advance_workshop(workshop_id: int, event: str):
    workshop = _find(workshop_id)
    try:
        move = WorkshopEvent(event)
    except ValueError:
        abort(404)
    back = redirect(url_for("workshop.show_workshop", workshop_id=workshop.id), code=303)
    if not ButtonForm().validate():
        flash(_("That did not work; please press the button once more."))
        return back
    try:
        release = workshops.advance(workshop, move, current_user, today())
    except InvalidTransition:
        flash(_(refusal(WorkshopState(workshop.state), workshop.round, move)))
        return back
    flash(str(EVENT_DONE[move]))
    if move is WorkshopEvent.CLOSE_ROUND and workshops.may_see_room(current_user, workshop):
        if release is None:
            flash(
                _(
                    "Fewer than %(k)s people were counted, so the room sees no figures.",
                    k=workshop.k_room,
                )
            )
        return redirect(url_for("workshop.show_room", workshop_id=workshop.id), code=303)
    return back


@bp.get("/staff/workshops/<int:workshop_id>/projector")
@role_required(*STAFF)
def show_projector(workshop_id: int):
    import segno

    workshop = _find(workshop_id)
    state = WorkshopState(workshop.state)
    qr = link = None
    if workshop.join_code and joinable(state):
        link = url_for("workshop.join_workshop", code=workshop.join_code, _external=True)
        code = segno.make(link, error="m", micro=False)
        # segno draws this SVG from our own URL and a code from our own alphabet.
        qr = Markup(  # noqa: S704
            code.svg_inline(
                scale=4,
                border=2,
                dark="#000",
                light="#fff",
                omitsize=True,
                title=_("QR code to join the workshop"),
            )
        )
    return render_template(
        "workshop/show_projector.html",
        workshop=workshop,
        state=state,
        link=link,
        qr=qr,
        **_page_globals(),
    )


@bp.get("/staff/workshops/<int:workshop_id>/room")
@role_required(Role.FACILITATOR)
def show_room(workshop_id: int):
    workshop = _find_room(workshop_id)
    view = rooms.view(workshop)
    return render_template(
        "workshop/show_room.html",
        workshop=workshop,
        view=view,
        charts=_room_charts(view.figures) if view.figures else None,
        plotly_src=plotly_url(),
        fill=_filler(workshop),
        form=ButtonForm(),
        **_page_globals(),
    )


@bp.get("/staff/workshops/<int:workshop_id>/room/count")
@role_required(Role.FACILITATOR)
def show_count(workshop_id: int):
    """The count for the room page's own refresh: the only figure shown while a round runs."""
    workshop = _find_room(workshop_id)
    return jsonify(state=workshop.state, round=workshop.round, counted=rooms.count(workshop))


@bp.post("/staff/workshops/<int:workshop_id>/room/refresh")
@role_required(Role.FACILITATOR)
def refresh_room(workshop_id: int):
    workshop = _find_room(workshop_id)
    back = redirect(url_for("workshop.show_room", workshop_id=workshop.id), code=303)
    if not ButtonForm().validate():
        return back
    if not shows_figures(WorkshopState(workshop.state)):
        flash(_("Figures can be updated only between rounds."))
        return back
    before = rooms.latest_release(workshop)
    after = rooms.refresh(workshop, today())
    if after is not None and (before is None or after.id != before.id):
        flash(_("The room's figures are updated."))
    else:
        flash(_("Not enough new people have finished yet, so the figures stay as they were."))
    return back


def _motive_names() -> dict[str, str]:
    return {m: _(instruments.CURRENT.motive_scale(m).name) for m in MOTIVES}


def _bin_names() -> list[str]:
    values = {"low": f"{LOW_BELOW:.0%}", "high": f"{HIGH_FROM:.0%}"}
    return [str(name) % values for name in BIN_NAMES]


def _room_charts(figures) -> dict:
    """Charts and the tables beside them, from the stored figures only."""
    from app import charts

    names = _motive_names()
    out: dict = {"bins": _bin_names(), "motives": names}
    if figures.mixture:
        rows = [(names[m], figures.mixture[m]) for m in MOTIVES]
        out["mixture"] = {"rows": rows, "figure": charts.mixture(rows)}
    shown = [(m, figures.distributions[m]) for m in MOTIVES if figures.distributions.get(m)]
    if shown:
        rows = [(names[m], counts) for m, counts in shown]
        out["distribution"] = {
            "rows": rows,
            "figure": charts.distribution(rows, out["bins"]),
        }
    out["hidden_distributions"] = [
        names[m] for m in MOTIVES if figures.mixture and not figures.distributions.get(m)
    ]
    scenarios = []
    for key, counts in figures.choices.items():
        try:
            scenario = instruments.CURRENT.scenario(key)
        except KeyError:
            continue
        title = _(scenario.title)
        if counts is None:
            scenarios.append({"key": key, "title": title, "hidden": True})
            continue
        letters = [chr(ord("A") + i) for i in range(len(scenario.options))]
        rows = [
            (letter, option, counts.get(option.key, 0))
            for letter, option in zip(letters, scenario.options, strict=True)
        ]
        scenarios.append(
            {
                "key": key,
                "title": title,
                "hidden": False,
                "rows": rows,
                "answered": sum(counts.values()),
                "figure": charts.choices([(r[0], r[2]) for r in rows]),
            }
        )
    out["scenarios"] = scenarios
    return out


@bp.get("/staff/workshops/<int:workshop_id>/guide")
@role_required(*STAFF)
def show_guide(workshop_id: int):
    workshop = _find(workshop_id)
    # Prompts follow the room's pattern only for the one who saw the room.
    figures = (
        rooms.shown_figures(workshop) if workshops.may_see_room(current_user, workshop) else None
    )
    pattern = RoomPattern(figures, {s.key: s for s in instruments.CURRENT.scenarios})
    modules = modules_of(workshop)
    return render_template(
        "workshop/show_guide.html",
        workshop=workshop,
        scripts=[s for s in guide_v1.SCRIPTS if s.module in modules],
        prompts=select_prompts(guide_v1.PROMPTS, pattern),
        harm=guide_v1.HARM_AVOIDANCE,
        harm_cite=guide_v1.HARM_CITE,
        has_figures=figures is not None,
        fill=_filler(workshop),
        **_page_globals(),
    )


@bp.get("/staff/accounts")
@role_required(Role.ORGANIZER)
def list_accounts():
    return render_template(
        "workshop/list_accounts.html",
        accounts=accounts.accounts_of(current_user.organization_id),
    )


@bp.route("/staff/accounts/new", methods=["GET", "POST"])
@role_required(Role.ORGANIZER)
def create_account():
    form = AccountForm()
    if request.method == "POST" and form.validate():
        roles = [
            role
            for role, wanted in (
                (Role.FACILITATOR, form.facilitator.data),
                (Role.ORGANIZER, form.organizer.data),
            )
            if wanted
        ]
        try:
            accounts.create_account(
                current_user.organization,
                form.email.data,
                form.name.data,
                form.password.data,
                roles,
                today(),
                actor=current_user,
            )
        except accounts.AccountError as error:
            _account_error(form, error.kind)
        else:
            flash(_("The account is ready. Give the first password to its owner yourself."))
            return redirect(url_for("workshop.list_accounts"), code=303)
    return render_template("workshop/create_account.html", form=form)


def _account_error(form: AccountForm, kind: str) -> None:
    if kind == "email_taken":
        form.email.errors = [*form.email.errors, _("This email already has an account.")]
    elif kind == "email":
        form.email.errors = [*form.email.errors, _("This does not look like an email address.")]
    else:
        form.form_errors.append(_("The account could not be created. Please check the form."))


# The volunteer's way in. Failed look-ups are limited per client and for everyone
# together, so that codes cannot be guessed; a right code costs nothing.


def _join_limit() -> str:
    return current_app.config["JOIN_LIMIT"]


def _join_global_limit() -> str:
    return current_app.config["JOIN_GLOBAL_LIMIT"]


def _join_failed(response) -> bool:
    return response.status_code == 404


def _all() -> str:
    return "all"


def _limited(*methods: str):
    """The per-client and shared limits on failed look-ups, for ``methods`` of a view."""
    per_client = limiter.shared_limit(
        _join_limit, scope="join", deduct_when=_join_failed, methods=list(methods)
    )
    everyone = limiter.shared_limit(
        _join_global_limit,
        scope="join-all",
        key_func=_all,
        deduct_when=_join_failed,
        methods=list(methods),
    )
    return lambda view: per_client(everyone(view))


@bp.route("/j", methods=["GET", "POST"])
@_limited("POST")
def enter_code():
    """Type a code; a wrong code and the code of a closed workshop get the same answer."""
    form = JoinForm()
    if request.method == "GET" or not form.validate():
        return render_template("workshop/enter_code.html", form=form)
    workshop = workshops.by_code(form.code.data)
    if workshop is None:
        return _no_such_code(form)
    return _join(workshop)


@bp.get("/j/<path:code>")
@_limited("GET")
def join_workshop(code: str):
    """The short address in the QR code: join, and go on to consent."""
    workshop = workshops.by_code(code)
    if workshop is None:
        return _no_such_code(JoinForm(formdata=None))
    return _join(workshop)


def _no_such_code(form: JoinForm):
    form.code.data = ""
    notice = _("We could not find an open workshop with that code. Check it with the facilitator.")
    return render_template("workshop/enter_code.html", form=form, notice=notice), 404


def _join(workshop: Workshop):
    session["workshop_id"] = workshop.id
    response = redirect(url_for("survey.start_take"), code=303)
    if workshop.locale in offered_locales() and lang_cookie_name() not in request.cookies:
        remember_language(response, workshop.locale)
    return response


# plotly.js is served by the app itself: never a CDN (shared/DESIGN.md §6.2).
# The copy inside the installed plotly package is read once per process,
# gzipped once, and served under a versioned address with a year of caching.


@functools.cache
def _plotly() -> tuple[Path, bytes, str]:
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    raw = path.read_bytes()
    return path, gzip.compress(raw, compresslevel=9, mtime=0), hashlib.sha256(raw).hexdigest()[:16]


def plotly_url() -> str:
    return url_for("workshop.send_plotly", v=_plotly()[2])


@bp.get("/static/vendor/plotly.min.js")
def send_plotly():
    path, compressed, digest = _plotly()
    if "gzip" in request.accept_encodings:
        response = current_app.response_class(compressed, mimetype="text/javascript")
        response.headers["Content-Encoding"] = "gzip"
    else:  # rare: every browser in use accepts gzip
        response = current_app.response_class(path.read_bytes(), mimetype="text/javascript")
    response.headers["Vary"] = "Accept-Encoding"
    response.set_etag(digest)
    response.cache_control.public = True
    response.cache_control.max_age = 365 * 24 * 3600
    response.cache_control.immutable = True
    return response.make_conditional(request)
