from flask import Blueprint

bp = Blueprint("workshop", __name__)

from app.web.workshop import routes  # noqa: E402, F401  - routes register on bp
