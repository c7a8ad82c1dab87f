"""The private-link cookie: the one place a volunteer's token lives after the link is opened.

The cookie is HttpOnly and SameSite=Lax (so that opening the link from a
message works) and lasts for the browser session: on a shared phone, closing
the browser forgets the person. ``__Host-`` prefixed and Secure in production.
"""

from __future__ import annotations

from flask import current_app, request, session
from werkzeug.wrappers import Response


def token_from_request() -> str | None:
    return request.cookies.get(current_app.config["KEY_COOKIE_NAME"])


def remember(response: Response, token: str) -> Response:
    response.set_cookie(
        current_app.config["KEY_COOKIE_NAME"],
        token,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["COOKIE_SECURE"],
        path="/",
    )
    return response


def forget(response: Response) -> Response:
    """Remove the link from this browser, and the session with the cause and labels it kept."""
    session.clear()
    response.delete_cookie(
        current_app.config["KEY_COOKIE_NAME"],
        path="/",
        httponly=True,
        samesite="Lax",
        secure=current_app.config["COOKIE_SECURE"],
    )
    return response
