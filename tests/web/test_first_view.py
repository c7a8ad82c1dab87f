"""A page's first view is drawn without building its WTForms form: the markup must be
exactly what the form would have given."""

from __future__ import annotations

import pytest

from app.instruments import CURRENT, CURRENT_DEEPER
from app.web.forms import FirstView
from app.web.survey import routes
from app.web.survey.forms import page_form, scenario_form


def saved_answers(page) -> dict[str, int]:
    # Every other item answered, so that filled and empty scales are both compared.
    return {key: 1 + i % 7 for i, key in enumerate(page.items) if i % 2 == 0}


@pytest.mark.parametrize("instrument", [CURRENT, CURRENT_DEEPER], ids=["core", "deeper"])
def test_every_questionnaire_page_looks_the_same_as_with_the_form(app, instrument):
    for page in instrument.pages:
        saved = saved_answers(page)
        with app.test_request_context(f"/take/page/{page.key}"):
            form = page_form(instrument, page.key)(
                data={f"item_{k}": saved.get(k) for k in page.items}
            )
            expected = routes._render_page(form, None, page, None, 0, instrument=instrument)
            shown = routes._render_page(
                routes._first_view(page, saved), None, page, None, 0, instrument=instrument
            )
        assert 'name="csrf_token"' in shown
        assert shown == expected, page.key


def test_every_scenario_looks_the_same_as_with_the_form(app):
    for scenario in CURRENT.scenarios:
        with app.test_request_context(f"/take/scenario/{scenario.key}"):
            expected = routes._render_scenario(scenario_form(scenario)(), None, scenario, None)
            shown = routes._render_scenario(FirstView({"option": None}), None, scenario, None)
        assert shown == expected, scenario.key


def test_a_first_view_has_no_field_it_was_not_given(app):
    with app.test_request_context("/take/scenario/s1"):
        view = FirstView({"option": "a"})
    assert view["option"].data == "a"
    assert view.option.errors == ()
    with pytest.raises(AttributeError):
        _ = view.nothing
    with pytest.raises(KeyError):
        view["nothing"]
