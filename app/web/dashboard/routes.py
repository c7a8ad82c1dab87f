"""Organizer dashboards: the organization's figures, their exports, and instrument quality.

Every page is for organizers of the organization itself (there is no
organization in the address, so there is none of anyone else's to ask for). GET
shows only what was released; choosing filters, or asking for fresh figures,
is a POST, because releasing figures writes to the release log (and may spend
privacy budget). Filters that are not the organization's own are "not found".
"""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import charts, instruments
from app.domain.instrument import MOTIVES
from app.domain.privacy import (
    DIMENSIONS,
    LEANINGS,
    MAX_FILTERS,
    OTHER,
    QUALITY_MIN,
    Dimension,
    FilterError,
    Hidden,
    Leaning,
)
from app.domain.room import HIGH_FROM, LOW_BELOW
from app.models import Role
from app.services import dashboards
from app.web.access import role_required
from app.web.dashboard import bp
from app.web.dashboard.forms import FilterForm, filter_values
from app.web.i18n import gettext as _
from app.web.workshop.forms import ButtonForm
from app.web.workshop.routes import BIN_NAMES, plotly_url

DIMENSION_NAMES = {
    Dimension.QUARTER: _l("Quarter"),
    Dimension.CAUSE: _l("Cause"),
    Dimension.LANGUAGE: _l("Language"),
    Dimension.WORKSHOP: _l("Workshop"),
}
BREAKDOWN_TITLES = {
    Dimension.QUARTER: _l("Trends by quarter"),
    Dimension.CAUSE: _l("Comparison by cause"),
    Dimension.LANGUAGE: _l("Comparison by language"),
    Dimension.WORKSHOP: _l("Comparison by workshop"),
}
OTHER_NAMES = {
    Dimension.QUARTER: _l("Other quarters"),
    Dimension.CAUSE: _l("Other causes"),
    Dimension.LANGUAGE: _l("Other languages"),
    Dimension.WORKSHOP: _l("Other workshops"),
}
LEANING_NAMES = {
    Leaning.HELP: (_l("Autonomy-oriented help"), _l("Dependency-oriented help")),
    Leaning.ACTION: (_l("Normative action"), _l("Non-normative action")),
    Leaning.VISIBILITY: (_l("Public action"), _l("Private action")),
    Leaning.ALLY: (_l("Helpful ally behaviour"), _l("Harmful ally behaviour")),
}
HIDDEN_NAMES = {
    Hidden.SMALL: _l("fewer than %(k)s"),
    Hidden.COMPLEMENT: _l("hidden (protects a small group)"),
    Hidden.TOO_CLOSE: _l("not shown: too close to a figure already released"),
    Hidden.HOMOGENEOUS: _l("hidden (nearly everyone in one group)"),
}
OUTCOMES = {
    "updated": _l("The figures are updated."),
    "unchanged": _l("Nothing has changed enough since the figures were released: they stay."),
    "kept": _l(
        "The figures stay as they were: fewer than %(d)s people have joined or left since they "
        "were released, so a change would tell something about those people."
    ),
    "budget": _l(
        "The figures stay as they were: this quarter's privacy budget is spent. "
        "New figures can be released from the next quarter on."
    ),
}


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _k() -> int:
    return int(current_app.config.get("K_ORG", 10))


def _motive_names() -> dict[str, str]:
    return {str(m): _(instruments.CURRENT.motive_scale(m).name) for m in MOTIVES}


def _bin_names() -> list[str]:
    values = {"low": f"{LOW_BELOW:.0%}", "high": f"{HIGH_FROM:.0%}"}
    return [str(name) % values for name in BIN_NAMES]


def _hidden_name(reason: str | None) -> str:
    if not reason:
        return ""
    return str(HIDDEN_NAMES[Hidden(reason)]) % {"k": _k()}


def value_name(dimension: Dimension, value: str, page: dashboards.Page) -> str:
    """The name of one cell of a dimension, in the reader's language."""
    from app.web import _locale_name

    if value == OTHER:
        return str(OTHER_NAMES[dimension])
    if dimension is Dimension.QUARTER:
        year, _sep, quarter = value.partition("-Q")
        return _("Q%(quarter)s %(year)s", quarter=quarter, year=year)
    if dimension is Dimension.CAUSE:
        preset = instruments.cause(value)
        if preset is not None:
            name = _(preset.cause)
            return name[:1].upper() + name[1:]
        return _("Causes that facilitators named themselves")
    if dimension is Dimension.LANGUAGE:
        try:
            return _locale_name(value)
        except ValueError:
            return value
    if value == "0":
        return _("Not in a workshop")
    known = page.workshops.get(value)
    if known is None:
        return _("Workshop %(number)s", number=value)
    title, day = known
    return _("%(title)s (%(date)s)", title=title, date=format_date(day, "medium"))


def _form(page: dashboards.Page) -> FilterForm:
    form = FilterForm(formdata=None, data=page.filters.as_dict())
    for dimension in DIMENSIONS:
        field = form[str(dimension)]
        field.choices = [("", _("All"))] + [
            (value, value_name(dimension, value, page))
            for value in page.categories.cells(dimension)
        ]
        if not field.data:
            field.data = ""
    return form


@bp.get("/staff/dashboard")
@role_required(Role.ORGANIZER)
def show_dashboard():
    try:
        page = dashboards.page(current_user, filter_values(request.args))
    except FilterError:
        abort(404)
    figures = page.figures
    return render_template(
        "dashboard/show_dashboard.html",
        page=page,
        form=_form(page),
        figures=figures,
        charts=_charts(figures, page) if figures and figures.get("overview") else None,
        budget=dashboards.budget(current_user.organization_id, today()),
        k=_k(),
        max_filters=MAX_FILTERS,
        dimension_names=DIMENSION_NAMES,
        plotly_src=plotly_url(),
        hidden_name=_hidden_name,
    )


@bp.post("/staff/dashboard")
@role_required(Role.ORGANIZER)
def update_dashboard():
    form = FilterForm()
    back = url_for("dashboard.show_dashboard")
    if not form.validate():
        flash(_("That did not work; please choose the filters once more."))
        return redirect(back, code=303)
    try:
        outcome = dashboards.update(current_user, form.chosen(), today())
    except FilterError as error:
        if error.kind != "too_many":
            abort(404)
        flash(_("Choose at most %(max)s filters at once.", max=MAX_FILTERS))
        return redirect(back, code=303)
    flash(str(OUTCOMES[outcome.status]) % {"d": current_app.config.get("MIN_DIFFERENCE", 10)})
    return redirect(url_for("dashboard.show_dashboard", **outcome.filters.as_dict()), code=303)


@bp.get("/staff/dashboard/figures.csv", defaults={"fmt": "csv"})
@bp.get("/staff/dashboard/figures.json", defaults={"fmt": "json"})
@role_required(Role.ORGANIZER)
def export_figures(fmt: str):
    """Exactly the figures the page shows, as CSV or JSON; never a person's row."""
    try:
        page = dashboards.page(current_user, filter_values(request.args))
    except FilterError:
        abort(404)
    rows = _export_rows(page)
    stamp = page.view.created_on.isoformat() if page.view else "none"

    if fmt == "csv":
        body = dashboards.to_csv(rows, EXPORT_COLUMNS)
        mimetype = "text/csv"
    else:
        figures = page.figures or {}
        meta = {
            "released_on": stamp if page.view else None,
            "filters": page.filters.as_dict(),
            "status": figures.get("status"),
            "differential_privacy": figures.get("dp"),
        }
        body = dashboards.to_json(rows, meta)
        mimetype = "application/json"
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="figures-{stamp}.{fmt}"'
    return response


@bp.get("/staff/dashboard/quality")
@role_required(Role.ORGANIZER)
def show_quality():
    page = dashboards.page(current_user, {}, kind=dashboards.QUALITY)
    return render_template(
        "dashboard/show_quality.html",
        page=page,
        figures=page.figures,
        groups=_quality_groups(page.figures),
        minimum=QUALITY_MIN,
        k=_k(),
        form=ButtonForm(),
    )


@bp.post("/staff/dashboard/quality")
@role_required(Role.ORGANIZER)
def update_quality():
    if ButtonForm().validate():
        outcome = dashboards.update_quality(current_user, today())
        flash(str(OUTCOMES[outcome.status]) % {"d": current_app.config.get("MIN_DIFFERENCE", 10)})
    else:
        flash(_("That did not work; please press the button once more."))
    return redirect(url_for("dashboard.show_quality"), code=303)


# Charts and tables from the stored figures only


def _charts(figures: dict, page: dashboards.Page) -> dict:
    names = _motive_names()
    overview = figures["overview"]
    out: dict = {"motives": names, "bins": _bin_names()}
    if overview.get("mean_shares"):
        rows = [(names[str(m)], overview["mean_shares"][str(m)]) for m in MOTIVES]
        out["mixture"] = {"rows": rows, "figure": charts.mixture(rows)}
    out["n"] = overview.get("n")
    spreads = []
    for m in MOTIVES:
        d = overview["distributions"][str(m)]
        spreads.append(_distribution_row(names[str(m)], d, overview.get("n")))
    out["spreads"] = spreads
    whole = [(r["label"], r["counts"]) for r in spreads if r["complete"]]
    if whole:
        out["spread_figure"] = charts.distribution(whole, out["bins"])
    leanings = []
    for leaning in LEANINGS:
        first, second = LEANING_NAMES[leaning]
        row = _distribution_row(
            _("%(first)s or %(second)s", first=first, second=second),
            overview["leanings"][str(leaning)],
            overview.get("n"),
        )
        row["sides"] = (str(first), _("Neither, or both equally"), str(second))
        leanings.append(row)
    out["leanings"] = leanings
    whole = [(r["label"], r["counts"]) for r in leanings if r["complete"]]
    if whole:
        sides = [_("Leans to the first"), _("Neither, or both equally"), _("Leans to the second")]
        out["leaning_figure"] = charts.distribution(whole, sides)
    out["breakdowns"] = [_breakdown(b, page, names) for b in figures.get("breakdowns", ())]
    return out


def _distribution_row(label: str, data: dict, n: int | None) -> dict:
    cells = []
    for count, reason in zip(data["counts"], data["hidden"], strict=True):
        if reason or count is None or not n:
            cells.append({"share": None, "note": _hidden_name(reason or Hidden.SMALL)})
        else:
            cells.append({"share": min(count / n, 1.0), "note": ""})
    complete = all(c is not None for c in data["counts"])
    return {"label": label, "cells": cells, "counts": data["counts"], "complete": complete}


def _breakdown(data: dict, page: dashboards.Page, names: dict[str, str]) -> dict:
    dimension = Dimension(data["dimension"])
    rows = []
    for cell in data["cells"]:
        rows.append(
            {
                "label": value_name(dimension, cell["value"], page),
                "n": cell["n"],
                "shares": cell["mean_shares"],
                "note": _hidden_name(cell["hidden"]),
            }
        )
    shown = [r for r in rows if r["shares"]]
    series = [(names[str(m)], [r["shares"][str(m)] for r in shown]) for m in MOTIVES]
    figure = None
    if shown and dimension is Dimension.QUARTER and len(shown) > 1:
        figure = charts.trend([r["label"] for r in shown], series)
    elif shown:
        figure = charts.comparison([r["label"] for r in shown], series)
    return {
        "dimension": str(dimension),
        "title": BREAKDOWN_TITLES[dimension],
        "rows": rows,
        "figure": figure,
        "hidden": [r for r in rows if r["note"]],
    }


EXPORT_COLUMNS = ("section", "group", "measure", "value", "note")


def _export_rows(page: dashboards.Page) -> list[dict]:
    """The page's figures as rows: what it shows, hidden cells as their note, nothing more."""
    figures = page.figures or {}
    overview = figures.get("overview")
    rows: list[dict] = []
    if not overview:
        rows.append(
            {"section": _("Overview"), "group": _context_name(page), "measure": _("People"),
             "value": "", "note": _status_note(figures.get("status") if figures else None)}
        )  # fmt: skip
        return rows
    names = _motive_names()
    k = _k()
    context = _context_name(page)
    section = _("Overview")

    def add(group, measure, value, note=""):
        rows.append(
            {"section": section, "group": group, "measure": measure, "value": value, "note": note}
        )

    n = overview.get("n")
    add(context, _("People"), n if n is not None else "", "" if n is not None else _fewer(k))
    for m in MOTIVES:
        add(names[str(m)], _("Average share of the mixture"), overview["mean_shares"][str(m)])
    bins = _bin_names()
    for m in MOTIVES:
        d = overview["distributions"][str(m)]
        for name, count, reason in zip(bins, d["counts"], d["hidden"], strict=True):
            add(f"{names[str(m)]}: {name}", _("People"), _value(count), _hidden_name(reason))
    for leaning in LEANINGS:
        d = overview["leanings"][str(leaning)]
        first, second = LEANING_NAMES[leaning]
        sides = (str(first), _("Neither, or both equally"), str(second))
        for name, count, reason in zip(sides, d["counts"], d["hidden"], strict=True):
            add(
                _("%(first)s or %(second)s", first=first, second=second) + f": {name}",
                _("People whose choices lean this way"),
                _value(count),
                _hidden_name(reason),
            )
    for data in figures.get("breakdowns", ()):
        dimension = Dimension(data["dimension"])
        section = str(BREAKDOWN_TITLES[dimension])
        for cell in data["cells"]:
            label = value_name(dimension, cell["value"], page)
            note = _hidden_name(cell["hidden"])
            add(label, _("People"), _value(cell["n"]), note)
            if cell["mean_shares"]:
                for m in MOTIVES:
                    add(label, names[str(m)], cell["mean_shares"][str(m)])
    return rows


def _value(count):
    return "" if count is None else count


def _fewer(k: int) -> str:
    return str(HIDDEN_NAMES[Hidden.SMALL]) % {"k": k}


def _status_note(status: str | None) -> str:
    if status == "small":
        return _fewer(_k())
    if status == "too_close":
        return _hidden_name(Hidden.TOO_CLOSE)
    return _("No figures have been released for this choice yet.")


def _context_name(page: dashboards.Page) -> str:
    if not page.filters.chosen:
        return _("Everyone counted")
    return ", ".join(value_name(d, v, page) for d, v in page.filters.chosen)


def _quality_groups(figures: dict | None) -> list[dict]:
    """The quality page's groups with names and per-scale rows."""
    from app.web import _locale_name

    if not figures:
        return []
    out = []
    for group in figures.get("groups", ()):
        locale = group["locale"]
        name = _("All languages") if not locale else _locale_name(locale)
        scales = []
        for m in MOTIVES:
            scale = instruments.CURRENT.motive_scale(m)
            scales.append({"name": _(scale.name), "key": scale.key, **_scale_row(group, scale)})
        out.append({"name": name, "n": group["n"], "scales": scales})
    return out


def _scale_row(group: dict, scale) -> dict:
    data = group["scales"].get(scale.key)
    if not data:
        return {"computed": False}
    return {
        "computed": True,
        "alpha": data["alpha"],
        "omega": data["omega"],
        "item_total": list(data["item_total"].items()),
    }
