"""The web chat in real headless Chromium (Debian's package), against the whole stack."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from directory.settings import PROJECT_ROOT
from tests.e2e.conftest import HOSTILE_NAME, PORTS

pytestmark = pytest.mark.e2e
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = PROJECT_ROOT / "results" / "screenshots"
CHAT = f"http://127.0.0.1:{PORTS.directory}/chat"


@pytest.fixture(scope="module")
def browser(stack) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.requests = requests  # type: ignore[attr-defined]
    yield page
    context.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def ask(page: Page, text: str) -> None:
    page.fill("#message", text)
    page.press("#message", "Enter")


def test_arabic_language_course_in_milan(page: Page):
    page.goto(CHAT)
    page.select_option("#language", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    ask(page, "أريد دورة لغة إيطالية في ميلانو")
    card = page.locator(".card").first
    expect(card).to_be_visible(timeout=20000)
    assert "CPIA" in page.locator(".card h3").all_inner_texts().__str__()
    expect(card.locator(".badge.sample")).to_be_visible()
    assert re.search(r"[\u0600-\u06ff]", card.locator(".badge.sample").inner_text())
    shot(page, "chat-arabic-milan")
    hosts = {re.sub(r"^\w+://([^/:]+).*$", r"\1", url) for url in page.requests if url.startswith("http")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts  # no request to any third-party host


def assert_cards_without_their_summary(page: Page) -> None:
    """The bot's plain-text summary repeats the cards: where the cards render it is not shown."""
    names = page.locator(".card h3").all_inner_texts()
    assert names
    said = page.locator(".msg.bot").all_inner_texts()
    assert not [text for text in said if any(name in text for name in names)], said


def test_ukrainian_warsaw_cards(page: Page):
    page.goto(CHAT)
    page.select_option("#language", "uk")
    ask(page, "шукаю курси польської мови у Варшаві")
    expect(page.locator(".card").first).to_be_visible(timeout=20000)
    assert re.search(r"[\u0400-\u04ff]", page.locator(".msg.bot").last.inner_text())
    assert_cards_without_their_summary(page)
    expect(page.locator("#typing")).to_be_hidden()  # the answer is in: no typing indicator
    shot(page, "chat-ukrainian-warsaw")


def test_rest_fallback_renders_the_same(page: Page):
    page.route("**/socket.io.min.js", lambda route: route.abort())  # no socket.io client: REST it is
    page.goto(CHAT)
    page.select_option("#language", "uk")
    ask(page, "шукаю курси польської мови у Варшаві")
    expect(page.locator(".card").first).to_be_visible(timeout=20000)
    assert not any("socket.io/" in url for url in page.requests)  # type: ignore[attr-defined]
    assert any(url.endswith("/webhooks/rest/webhook") for url in page.requests)  # type: ignore[attr-defined]
    assert re.search(r"[\u0400-\u04ff]", page.locator(".msg.bot").last.inner_text())
    assert_cards_without_their_summary(page)
    page.reload()  # and the same after a reload, from the saved conversation
    expect(page.locator(".card").first).to_be_visible(timeout=20000)
    assert_cards_without_their_summary(page)
    shot(page, "chat-ukrainian-warsaw-rest")


def test_a_saved_conversation_shows_cards_without_their_summary(page: Page):
    """Conversations saved by an earlier version of the page kept the summary beside the cards."""
    # Saved from a page of the same origin that runs no chat (the chat would greet and save).
    page.goto(CHAT.replace("/chat", "/health"))
    page.evaluate("""() => localStorage.setItem('chat.history', JSON.stringify([
        {kind: 'bot', text: 'Found 1.'},
        {kind: 'bot', text: '1. CPIA 5 Milano — Via Gonin 8'},
        {kind: 'services', payload: {type: 'service_list', offset: 0, services: [{id: 's1', name: 'CPIA 5 Milano'}]}}
    ]))""")
    page.goto(CHAT)
    expect(page.locator(".card h3")).to_have_text(["CPIA 5 Milano"])
    expect(page.locator(".msg.bot")).to_have_text(["Found 1."])


def test_api_docs_render_offline(page: Page):
    page.goto(f"http://127.0.0.1:{PORTS.directory}/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=20000)
    hosts = {re.sub(r"^\w+://([^/:]+).*$", r"\1", url) for url in page.requests if url.startswith("http")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts


def test_keyboard_only(page: Page):
    page.goto(CHAT)
    expect(page.locator(".replies")).to_have_count(1, timeout=20000)  # the greeting and its need buttons
    page.keyboard.press("Tab")  # the language picker
    assert page.evaluate("document.activeElement.id") == "language"
    for _ in range(30):  # through the greeting's buttons to the message field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "message":
            break
    else:
        pytest.fail("Tab never reached the message field")
    page.keyboard.type("I need a shelter")
    page.keyboard.press("Enter")
    # the greeting's need buttons come first, then the city buttons of the answer
    expect(page.locator(".replies")).to_have_count(2, timeout=20000)
    reply = page.locator(".replies").last.locator("button").first
    reply.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".card").first).to_be_visible(timeout=20000)
    for control in page.locator("button, input, select").all():
        name = control.get_attribute("aria-label") or control.inner_text() or \
            page.evaluate("(e) => e.labels && e.labels.length ? e.labels[0].textContent : ''", control.element_handle())
        assert name.strip(), control


def test_service_names_render_as_text_never_as_html(page: Page):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(CHAT)
    ask(page, "Italian course in Milan")
    expect(page.locator(".card").first).to_be_visible(timeout=20000)
    more = page.locator(".card h3", has_text=HOSTILE_NAME)
    if more.count() == 0:
        ask(page, "more")
    expect(page.locator(".card h3", has_text=HOSTILE_NAME).first).to_be_visible(timeout=20000)
    assert page.locator(".log img").count() == 0
    assert dialogs == []
    shot(page, "chat-injection-as-text")


def test_reconnect_keeps_the_conversation(page: Page):
    page.goto(CHAT)
    ask(page, "I need a language course in Warsaw")
    expect(page.locator(".card").first).to_be_visible(timeout=20000)
    before = page.locator(".log > li").count()
    page.context.set_offline(True)
    expect(page.locator("#status")).to_be_visible(timeout=15000)
    page.context.set_offline(False)
    expect(page.locator("#status")).to_be_hidden(timeout=20000)
    ask(page, "more")
    expect(page.locator(".log > li")).not_to_have_count(before, timeout=20000)
    page.reload()
    assert page.locator(".log > li").count() > before  # the conversation survives a reload
    shot(page, "chat-after-reconnect")
