from flask import Blueprint

bp = Blueprint("survey", __name__)

from app.web.survey import routes  # noqa: E402, F401  - routes register on bp
