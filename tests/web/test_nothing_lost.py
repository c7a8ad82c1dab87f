"""Nothing is lost: expired forms, lost cookies, database trouble, double taps, bad input."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.instruments import CURRENT
from app.models import Answer, Choice, Respondent, ScaleResult, Take
from app.services import takes
from tests.forms import hidden
from tests.web.volunteer import Volunteer
from tests.workshop.factories import TODAY

FIRST = CURRENT.pages[0]


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def page_answers(value="4"):
    return {f"item_{key}": value for key in FIRST.items}


def checked(html: str, value: str) -> int:
    return html.count(f'value="{value}" checked')


@pytest.fixture
def volunteer(client):
    volunteer = Volunteer(client)
    volunteer.start()
    volunteer.choose_cause()
    return volunteer


def test_an_expired_form_token_keeps_the_answers(app, client, volunteer):
    url = f"/take/page/{FIRST.key}"
    fields = hidden(client.get(url).text, url)
    fields["csrf_token"] = "expired-or-forged"
    response = client.post(url, data={**fields, **page_answers("6")})
    assert response.status_code == 200
    assert "press the button once more" in response.text
    assert checked(response.text, "6") == len(FIRST.items)
    fresh_token = hidden(response.text, url)["csrf_token"]
    assert fresh_token != "expired-or-forged"
    assert count(app, Answer) == 0
    again = client.post(url, data={**hidden(response.text, url), **page_answers("6")})
    assert again.status_code == 303
    assert count(app, Answer) == len(FIRST.items)


def test_a_lost_session_cookie_keeps_the_answers(app, client, volunteer):
    url = f"/take/page/{FIRST.key}"
    fields = hidden(client.get(url).text, url)
    client.delete_cookie("wia_session")
    response = client.post(url, data={**fields, **page_answers("2")})
    assert response.status_code == 200
    assert checked(response.text, "2") == len(FIRST.items)
    assert count(app, Answer) == 0
    retry = client.post(url, data={**hidden(response.text, url), **page_answers("2")})
    assert retry.status_code == 303
    assert count(app, Answer) == len(FIRST.items)


def test_a_lost_private_link_cookie_keeps_the_answers_and_says_what_to_do(app, client, volunteer):
    url = f"/take/page/{FIRST.key}"
    fields = hidden(client.get(url).text, url)
    client.delete_cookie("wia_key")
    response = client.post(url, data={**fields, **page_answers("3")})
    assert response.status_code == 200
    assert "Open your private link in a new tab" in response.text
    assert checked(response.text, "3") == len(FIRST.items)
    assert count(app, Answer) == 0
    # The person opens the link (in another tab), comes back and presses Continue again.
    client.get(f"/p/{volunteer.token}")
    retry = client.post(url, data={**hidden(response.text, url), **page_answers("3")})
    assert retry.status_code == 303
    assert count(app, Answer) == len(FIRST.items)


def test_a_database_error_on_save_gives_a_friendly_503_with_the_answers(
    app, client, volunteer, monkeypatch
):
    url = f"/take/page/{FIRST.key}"
    fields = hidden(client.get(url).text, url)
    real_commit = db.session.commit
    calls = {"n": 0}

    def failing_commit():
        calls["n"] += 1
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    monkeypatch.setattr(db.session, "commit", failing_commit)
    response = client.post(url, data={**fields, **page_answers("5")})
    assert response.status_code == 503
    assert calls["n"] == 1
    assert "We could not save this page just now" in response.text
    assert checked(response.text, "5") == len(FIRST.items)
    monkeypatch.setattr(db.session, "commit", real_commit)
    retry = client.post(url, data={**hidden(response.text, url), **page_answers("5")})
    assert retry.status_code == 303
    assert count(app, Answer) == len(FIRST.items)


def test_a_database_that_cannot_be_read_gives_the_answers_back(app, client, volunteer, monkeypatch):
    from app.services import takes

    url = f"/take/page/{FIRST.key}"
    fields = hidden(client.get(url).text, url)

    def unreachable(token, load="nothing"):
        from app.services import DatabaseUnavailable

        raise DatabaseUnavailable

    monkeypatch.setattr(takes, "respondent_for", unreachable)
    response = client.post(url, data={**fields, **page_answers("7")})
    assert response.status_code == 503
    assert checked(response.text, "7") == len(FIRST.items)


def test_a_double_tap_on_start_makes_one_person(app, client):
    page = client.get("/start")
    fields = {**hidden(page.text, "/start"), "profile": "y"}
    first = client.post("/start", data=fields)
    # The second tap left the browser before the first answer (and its cookie) came back.
    client.delete_cookie("wia_key")
    second = client.post("/start", data=fields)
    assert first.status_code == second.status_code == 303
    assert count(app, Respondent) == 1
    assert count(app, Take) == 1
    token = re.search(r"wia_key=([^;]+)", first.headers["Set-Cookie"]).group(1)
    assert token in second.headers["Set-Cookie"]


def test_a_consent_form_posted_again_later_does_not_reopen_the_take(app, client):
    page = client.get("/start")
    fields = {**hidden(page.text, "/start"), "profile": "y"}
    client.post("/start", data=fields)
    volunteer = Volunteer(client)
    volunteer.choose_cause()
    client.delete_cookie("wia_key")
    replay = client.post("/start", data=fields)
    assert replay.status_code == 303
    assert "wia_key=" not in replay.headers.get("Set-Cookie", "")


def test_a_double_tap_on_a_page_stores_each_answer_once(app, client, volunteer):
    url = f"/take/page/{FIRST.key}"
    fields = {**hidden(client.get(url).text, url), **page_answers("4")}
    assert client.post(url, data=fields).status_code == 303
    assert client.post(url, data=fields).status_code == 303
    assert count(app, Answer) == len(FIRST.items)


def test_a_double_tap_on_the_last_scenario_finishes_once(app, client, volunteer):
    for page in CURRENT.pages:
        volunteer.answer_page(page)
    for scenario in CURRENT.scenarios[:-1]:
        volunteer.answer_scenario(scenario)
    last = CURRENT.scenarios[-1]
    url = f"/take/scenario/{last.key}"
    fields = {**hidden(client.get(url).text, url), "option": last.options[0].key}
    first = client.post(url, data=fields)
    second = client.post(url, data=fields)
    assert first.status_code == second.status_code == 303
    assert count(app, Take) == 1
    assert count(app, Choice) == len(CURRENT.scenarios)
    assert count(app, ScaleResult) == 4
    assert "See my profile" in client.get(url).text


@pytest.mark.parametrize("step", ["page", "scenario"])
def test_a_post_from_a_tab_left_behind_does_not_move_the_take_back(app, volunteer, step):
    """Two tabs of one take post at the same moment: each reads the take, then writes
    how far it has come. The slower write, from the tab left behind, keeps the step the
    other reached (where the journey resumes), whatever it read before."""
    for page in CURRENT.pages:
        volunteer.answer_page(page)
    with app.app_context():
        take = db.session.scalar(select(Take))  # what the tab left behind read ...
        ahead = take.reached + 2
        with db.engine.begin() as other:  # ... before the other tab moved on
            other.execute(update(Take).values(reached=ahead))
        if step == "page":
            takes.save_page(take, FIRST.key, dict.fromkeys(FIRST.items, 4))
        else:
            scenario = CURRENT.scenarios[0]
            takes.save_choice(take, scenario.key, scenario.options[0].key, TODAY)
        db.session.remove()
    with app.app_context():
        assert db.session.scalar(select(Take.reached)) == ahead


def test_the_first_choice_in_a_scenario_stands(app, client, volunteer):
    for page in CURRENT.pages:
        volunteer.answer_page(page)
    scenario = CURRENT.scenarios[0]
    url = f"/take/scenario/{scenario.key}"
    fields = hidden(client.get(url).text, url)
    client.post(url, data={**fields, "option": scenario.options[0].key})
    client.post(url, data={**fields, "option": scenario.options[1].key})
    with app.app_context():
        assert db.session.scalar(select(Choice.option_key)) == scenario.options[0].key


def test_blank_items_are_asked_about_once_then_skipped(app, client, volunteer):
    url = f"/take/page/{FIRST.key}"
    some = {f"item_{FIRST.items[0]}": "4"}
    response = client.post(url, data={**hidden(client.get(url).text, url), **some})
    assert response.status_code == 200
    blanks = len(FIRST.items) - 1
    assert f"You left {blanks} statements blank" in response.text
    assert response.text.count("Not answered yet.") == blanks
    assert count(app, Answer) == 0
    skip = client.post(url, data={**hidden(response.text, url), **some})
    assert skip.status_code == 303
    assert count(app, Answer) == 1


def test_a_page_posted_again_is_what_counts_and_leaves_other_pages_alone(app, client, volunteer):
    second = CURRENT.pages[1]
    volunteer.answer_page(FIRST, value=lambda item: 5)
    volunteer.answer_page(second, value=lambda item: 6)
    url = f"/take/page/{FIRST.key}"
    kept = FIRST.items[1:]  # the first is left blank this time
    again = {f"item_{key}": "2" for key in kept}
    asked = client.post(url, data={**hidden(client.get(url).text, url), **again})
    assert asked.status_code == 200  # one left blank: asked about once
    assert client.post(url, data={**hidden(asked.text, url), **again}).status_code == 303
    with app.app_context():
        stored = dict(db.session.execute(select(Answer.item_key, Answer.value)).all())
    assert stored == {**dict.fromkeys(kept, 2), **dict.fromkeys(second.items, 6)}


def test_a_take_with_skipped_parts_still_gets_a_profile(app, client, volunteer):
    url = f"/take/page/{FIRST.key}"
    # Skip every item of the first page: one item per motive is missing, 3 of 4 remain.
    first = client.post(url, data=hidden(client.get(url).text, url))
    client.post(url, data=hidden(first.text, url))
    for page in CURRENT.pages[1:]:
        volunteer.answer_page(page)
    for scenario in CURRENT.scenarios:
        surl = f"/take/scenario/{scenario.key}"
        client.post(surl, data={**hidden(client.get(surl).text, surl), "action": "skip"})
    profile = client.get("/me")
    assert profile.status_code == 200
    assert "Your mix of reasons" in profile.text
    assert "You skipped the situations" in profile.text


BAD_VALUES = ["8", "0", "-1", "abc", "\x00", "1e309", "3.5", "<script>alert(1)</script>",
              "' OR '1'='1", "x" * 10_000]  # fmt: skip


@pytest.mark.parametrize("bad", BAD_VALUES, ids=range(len(BAD_VALUES)))
def test_invalid_answers_are_refused_beside_the_field(app, client, volunteer, bad):
    url = f"/take/page/{FIRST.key}"
    name = f"item_{FIRST.items[0]}"
    data = {**hidden(client.get(url).text, url), **page_answers("4"), name: bad}
    response = client.post(url, data=data)
    assert response.status_code == 200
    assert f'id="{name}-error"' in response.text
    assert "Please choose one of the answers shown." in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert count(app, Answer) == 0


def test_a_duplicated_field_is_refused(app, client, volunteer):
    url = f"/take/page/{FIRST.key}"
    name = f"item_{FIRST.items[0]}"
    fields = [*hidden(client.get(url).text, url).items(), *page_answers("4").items(), (name, "5")]
    response = client.post(url, data=_multi(fields))
    assert response.status_code == 200
    assert "Please give one answer here, not several." in response.text
    assert count(app, Answer) == 0


def test_an_unexpected_field_is_refused(app, client, volunteer):
    url = f"/take/page/{FIRST.key}"
    data = {**hidden(client.get(url).text, url), **page_answers("4"), "respondent_id": "1"}
    response = client.post(url, data=data)
    assert response.status_code == 200
    assert "received an answer it did not ask for" in response.text
    assert count(app, Answer) == 0


def test_an_answer_for_another_page_is_refused(app, client, volunteer):
    url = f"/take/page/{FIRST.key}"
    other = CURRENT.pages[1].items[0]
    data = {**hidden(client.get(url).text, url), **page_answers("4"), f"item_{other}": "4"}
    response = client.post(url, data=data)
    assert response.status_code == 200
    assert count(app, Answer) == 0


def test_a_huge_body_is_refused_with_413(app, client, volunteer):
    url = f"/take/page/{FIRST.key}"
    data = {**hidden(client.get(url).text, url), "item_x": "y" * 1_000_000}
    response = client.post(url, data=data)
    assert response.status_code == 413
    assert "more than this page can take" in response.text
    assert count(app, Answer) == 0


@pytest.mark.parametrize("cause", ["", "mars", "<b>x</b>", "\x00", "gender\x00"])
def test_an_unknown_cause_is_refused(app, client, cause):
    Volunteer(client).start()
    url = "/take/cause"
    response = client.post(url, data={**hidden(client.get(url).text, url), "cause": cause})
    assert response.status_code == 200
    assert 'id="cause-error"' in response.text
    with app.app_context():
        assert db.session.scalar(select(Take.cause_key)) is None


@pytest.mark.parametrize("option", ["", "z", "\x00", "a" * 5000])
def test_an_unknown_scenario_option_is_refused(app, client, volunteer, option):
    for page in CURRENT.pages:
        volunteer.answer_page(page)
    scenario = CURRENT.scenarios[0]
    url = f"/take/scenario/{scenario.key}"
    response = client.post(url, data={**hidden(client.get(url).text, url), "option": option})
    assert response.status_code == 200
    assert 'id="option-error"' in response.text
    assert count(app, Choice) == 0


@pytest.mark.parametrize(
    "path",
    ["/take/page/nope", "/take/scenario/nope", "/take/page/%00", "/take/scenario/'--"],
)
def test_unknown_steps_are_404(client, volunteer, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "header",
    ["", "*", "de-DE,de;q=0.9", "xx;q=abc", ";;;", "en;q=1e309", "<script>", "a" * 5000],
)
def test_malformed_accept_language_is_ignored(client, header):
    response = client.get("/", headers={"Accept-Language": header})
    assert response.status_code == 200


@pytest.mark.parametrize("lang", ["zz", "de-AT", "<x>", "en' OR '1'='1", "\x00", "ar" * 100])
def test_unknown_language_parameters_are_ignored(client, lang):
    response = client.get("/", query_string={"lang": lang})
    assert response.status_code == 200
    assert '<html lang="en"' in response.text


def test_pages_of_the_journey_need_the_private_link_cookie(client):
    for url in ("/take", "/take/cause", f"/take/page/{FIRST.key}", "/me", "/key", "/me/delete"):
        response = client.get(url)
        assert response.status_code in (303, 404), url
    assert client.post("/me/retake").status_code == 404


def _multi(pairs):
    from werkzeug.datastructures import MultiDict

    return MultiDict(pairs)


def test_reading_pages_while_the_database_is_down_gives_503(app, client, volunteer, monkeypatch):
    from app.services import DatabaseUnavailable, takes

    def unreachable(token, load="nothing"):
        raise DatabaseUnavailable

    monkeypatch.setattr(takes, "respondent_for", unreachable)
    for url in ("/me", "/key", "/take"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert "Nothing you saved before is lost" in response.text
