"""A volunteer walking the journey through the test client, as a browser without JavaScript."""

from __future__ import annotations

import re

from app.instruments import CURRENT
from tests.forms import hidden

TOKEN_LINK = re.compile(r"/p/([A-Za-z0-9_-]{43})")


class Volunteer:
    def __init__(self, client):
        self.client = client
        self.token: str | None = None

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post_form(self, url, data, action=None):
        """Post ``data`` with the hidden fields of the form at ``url`` (fresh GET first)."""
        page = self.client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        fields = hidden(page.text, action or url)
        fields.update(data)
        return self.client.post(url, data=fields)

    def start(self, org=True):
        response = self.post_form("/start", {"profile": "y", **({"org": "y"} if org else {})})
        assert response.status_code == 303, response.text
        assert response.headers["Location"].endswith("/key")
        key_page = self.client.get("/key")
        self.token = TOKEN_LINK.search(key_page.text).group(1)
        return response

    def choose_cause(self, cause="gender"):
        response = self.post_form("/take/cause", {"cause": cause})
        assert response.status_code == 303, response.text
        return response

    def answer_page(self, page, value=lambda item: 5):
        data = {f"item_{item.key}": str(value(item)) for item in CURRENT.page_items(page)}
        response = self.post_form(f"/take/page/{page.key}", data)
        assert response.status_code == 303, response.text
        return response

    def answer_scenario(self, scenario, option=None):
        option = option or scenario.options[0].key
        url = f"/take/scenario/{scenario.key}"
        response = self.post_form(url, {"option": option, "action": "choose"})
        assert response.status_code == 303, response.text
        return response

    def finish(self, value=lambda item: 5):
        """Answer every page and scenario of the open take."""
        for page in CURRENT.pages:
            self.answer_page(page, value)
        for scenario in CURRENT.scenarios:
            self.answer_scenario(scenario)

    def whole_journey(self, cause="gender", value=lambda item: 5):
        self.start()
        self.choose_cause(cause)
        self.finish(value)
        return self.client.get("/me")
