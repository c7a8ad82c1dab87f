from flask import Blueprint

bp = Blueprint("profile", __name__)

from app.web.profile import routes  # noqa: E402, F401  - routes register on bp
