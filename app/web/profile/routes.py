"""The private side: opening the link, the profile, retakes and deletion."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale

from app.domain.scoring import SAID_AND_CHOSEN
from app.extensions import limiter
from app.instruments import CURRENT_DEEPER
from app.services import DatabaseUnavailable, profiles, takes
from app.web import keys
from app.web.context import current_respondent, fill, labels, today
from app.web.forms import FirstView
from app.web.i18n import gettext as _
from app.web.i18n import template_gettext
from app.web.profile import bp
from app.web.survey.forms import ButtonForm, DeleteForm


def _link_limit() -> str:
    return current_app.config["PRIVATE_LINK_LIMIT"]


def _link_global_limit() -> str:
    return current_app.config["PRIVATE_LINK_GLOBAL_LIMIT"]


def _failed(response) -> bool:
    return response.status_code == 404


@bp.get("/p/<path:token>")
@limiter.limit(_link_limit, deduct_when=_failed)
@limiter.shared_limit(
    _link_global_limit, scope="private-link-all", key_func=lambda: "all", deduct_when=_failed
)
def open_link(token: str):
    """Trade the link for a cookie and leave the token out of the address bar at once."""
    if takes.respondent_for(token) is None:
        return render_template("errors/http.html", error=None, not_found=True), 404
    return keys.remember(redirect(url_for("profile.show_profile"), code=303), token)


@bp.get("/me")
def show_profile():
    respondent = current_respondent()
    if respondent is None:
        return render_template("survey/no_take.html"), 404
    view = profiles.view(respondent)
    group_labels = labels(view.latest or view.open_take)
    return render_template(
        "profile/show_profile.html",
        view=view,
        fill=lambda text: fill(text, group_labels),
        # The same labels as pairs: a key under which ``remembered`` keeps each practice.
        label_pairs=tuple(group_labels.items()),
        # The page's three buttons (retake, go deeper, forget) post the same empty form,
        # which the page only needs the token of.
        button_form=FirstView({}),
        # Each motive's name, translated once for the dozen places the page shows it.
        names={motive: template_gettext(name) for motive, name in view.names.items()},
        deeper_items=len(CURRENT_DEEPER.items),
        said_and_chosen=SAID_AND_CHOSEN,
    )


@bp.post("/me/retake")
def start_retake():
    respondent = current_respondent()
    if respondent is None:
        return render_template("survey/no_take.html"), 404
    form = ButtonForm()
    if not form.validate():
        flash(_("That did not work; please press the button once more."))
        return redirect(url_for("profile.show_profile"), code=303)
    takes.retake(respondent, str(get_locale()), today())
    return redirect(url_for("survey.resume_take"), code=303)


@bp.post("/me/deeper")
def open_deeper():
    """Open the optional deeper module on the newest finished take."""
    respondent = current_respondent()
    if respondent is None:
        return render_template("survey/no_take.html"), 404
    finished = takes.finished_takes(respondent)
    form = ButtonForm()
    if not finished or not form.validate():
        return redirect(url_for("profile.show_profile"), code=303)
    take = finished[-1]
    if not takes.offers_deeper(take):
        return redirect(url_for("profile.show_profile"), code=303)
    takes.open_deeper(take)
    page_key = takes.deeper_next_page(take)
    if page_key is None:
        return redirect(url_for("profile.show_profile", _anchor="deeper"), code=303)
    return redirect(url_for("survey.answer_deeper_page", page_key=page_key), code=303)


@bp.route("/me/delete", methods=["GET", "POST"])
def delete_everything():
    respondent = current_respondent()
    if respondent is None:
        return render_template("survey/no_take.html"), 404
    form = DeleteForm()
    status = 200
    if request.method == "POST" and form.validate():
        try:
            takes.delete_respondent(respondent)
        except DatabaseUnavailable:
            form.form_errors.append(
                _("We could not delete just now. Please try again in a moment.")
            )
            status = 503
        else:
            return keys.forget(redirect(url_for("profile.show_deleted"), code=303))
    return render_template("profile/delete_everything.html", form=form), status


@bp.get("/me/deleted")
def show_deleted():
    return render_template("profile/show_deleted.html")


@bp.post("/me/forget")
def forget_device():
    """Remove the private link from this browser; the profile stays reachable by the link."""
    form = ButtonForm()
    if not form.validate():
        return redirect(url_for("profile.show_profile"), code=303)
    return keys.forget(redirect(url_for("main.index"), code=303))
