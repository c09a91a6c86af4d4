"""Conversations over the REST channel in several languages, multi-turn included."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Conversation, reply_language, service_lists

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("language", "text", "category", "municipality"), [
    ("ar", "أريد دورة لغة إيطالية في ميلانو", "education.language", "milan"),
    ("pl", "gdzie w Poznaniu są lekcje polskiego?", "education.language", "poznan"),
    ("uk", "шукаю курси польської мови у Варшаві", "education.language", "warsaw"),
    ("de", "Ich brauche einen Deutschkurs in Tulln", "education.language", "tulln"),
    ("it", "devo rinnovare il permesso di soggiorno a Bari", "residence.permit", "bari"),
    ("ru", "где в Кракове можно переночевать сегодня, мне негде спать", "housing.emergency", "krakow"),
    ("ro", "unde pot găsi un loc de muncă în Cluj-Napoca?", "employment.jobcentre", "cluj-napoca"),
])
def test_one_message_finds_the_right_services(stack, language, text, category, municipality):
    messages = Conversation().say(text)
    lists = service_lists(messages)
    assert lists, messages
    services = lists[0]["services"]
    assert services and all(category in s["categories"] and s["municipality"] == municipality for s in services)
    assert lists[0]["language"] == language
    assert reply_language(messages) == language


def test_need_first_city_later(stack):
    conversation = Conversation()
    first = conversation.say("I need a shelter")
    assert not service_lists(first)
    assert any(m.get("buttons") for m in first), first  # asks for the city, with buttons
    second = conversation.say("Naples")
    services = service_lists(second)[0]["services"]
    assert services and all("housing.emergency" in s["categories"] and s["municipality"] == "naples"
                            for s in services)


def test_client_language_and_followup(stack):
    conversation = Conversation(language="uk")
    messages = conversation.say("шукаю курси польської мови у Варшаві")
    assert service_lists(messages)[0]["language"] == "uk"
    answer = conversation.say("коли вони працюють?")
    assert answer and reply_language(answer) == "uk"


def test_emergency_answers_112_first(stack):
    messages = Conversation(language="en").say("help, someone is attacking me right now")
    assert "112" in messages[0]["text"]


def test_odd_text_never_crashes(stack):
    conversation = Conversation()
    for text in ["", "?????", "<script>alert(1)</script>", "😀" * 30, "a" * 2000]:
        assert isinstance(conversation.say(text), list)
