"""The web widget's HTTP and WebSocket API, served by the gateway in front of the real Rasa."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import websockets
from websockets.exceptions import InvalidStatusCode

from bot.gateway.app import create_app
from tests.conftest import gateway_settings
from tests.faulty_proxy import FaultyProxy
from tests.servers import serving

pytestmark = pytest.mark.e2e

QUESTION = "lam giay khai sinh can gi"
FEE_PAYLOAD = '/ask_fee{"procedure_code": "1.001193"}'


@pytest.fixture
def widget(assistant, services, clean_gateway_redis):
    """The gateway (widget routes included) on a local socket, in front of the test assistant."""
    with serving(create_app(gateway_settings(assistant), services)) as url:
        yield url


def new_session() -> str:
    return secrets.token_urlsafe(24)


def post(url: str, session: str, text: str, **extra: str) -> httpx.Response:
    body = {"session": session, "text": text, **extra}
    return httpx.post(f"{url}/api/widget/messages", json=body, timeout=60)


def replies(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return response.json()["messages"]


def history(url: str, session: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{url}/api/widget/history", params={"session": session})
    assert response.status_code == 200, response.text
    return response.json()["entries"]


def joined(messages: list[dict[str, Any]]) -> str:
    return "\n".join(message["text"] for message in messages).lower()


class Tab:
    """One browser tab's socket to the widget API."""

    def __init__(self, socket: websockets.WebSocketClientProtocol, history: list[dict[str, Any]]) -> None:
        self.socket = socket
        self.history = history

    async def say(self, text: str, client_message_id: str = "", shown: str = "") -> str:
        message_id = client_message_id or secrets.token_urlsafe(12)
        await self.send({"type": "message", "text": text, "client_message_id": message_id, "shown": shown})
        return message_id

    async def send(self, frame: dict[str, Any] | str) -> None:
        await self.socket.send(frame if isinstance(frame, str) else json.dumps(frame))

    async def frame(self, timeout: float = 60) -> dict[str, Any]:
        return json.loads(await asyncio.wait_for(self.socket.recv(), timeout))

    async def until(self, kind: str, timeout: float = 60) -> list[dict[str, Any]]:
        """Frames up to and including the first of type `kind`."""
        frames = [await self.frame(timeout)]
        while frames[-1]["type"] != kind:
            frames.append(await self.frame(timeout))
        return frames

    async def quiet(self, seconds: float = 1.0) -> bool:
        """True when nothing arrives for `seconds`."""
        try:
            await asyncio.wait_for(self.socket.recv(), seconds)
        except asyncio.TimeoutError:
            return True
        return False


@contextlib.asynccontextmanager
async def tab(url: str, session: str, origin: str | None = None) -> AsyncIterator[Tab]:
    address = f"{url.replace('http', 'ws', 1)}/api/widget/ws?session={quote(session)}"
    async with websockets.connect(address, origin=origin, open_timeout=10) as socket:
        first = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert first["type"] == "history"
        yield Tab(socket, first["entries"])


def test_the_script_is_plain_javascript_with_cache_headers_and_never_injects_html(widget):
    response = httpx.get(f"{widget}/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "max-age" in response.headers["cache-control"] and response.headers["etag"]
    script = response.text
    assert "attachShadow" in script and "crypto.getRandomValues" in script and "localStorage" in script
    assert not any(sink in script for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"))


def test_the_demo_page_is_a_mock_portal_with_the_one_widget_tag(widget):
    page = httpx.get(f"{widget}/").text
    assert "Cổng dịch vụ công Thành phố Hồ Chí Minh" in page and "không phải" in page  # clearly a demo
    tag = f'<script src="{widget}/widget.js" data-title="Trợ lý dịch vụ công" data-color="#a50e0e" async></script>'
    assert page.count("<script") == 1 and tag in page
    assert f"&lt;script src=&quot;{widget}/widget.js&quot;" not in page  # the shown sample is escaped once
    assert f'&lt;script src="{widget}/widget.js"' in page


BAD_SESSIONS = ["", "short", "a" * 65, "has spaces in it and is long enough", "../../../../etc/passwd-etc", "é" * 30]


@pytest.mark.parametrize("session", BAD_SESSIONS)
def test_malformed_session_ids_are_refused(widget, session):
    assert httpx.get(f"{widget}/api/widget/history", params={"session": session}).status_code == 400
    assert post(widget, session, "xin chào").status_code == 400

    async def connect() -> None:
        with pytest.raises(InvalidStatusCode) as refused:
            async with tab(widget, session):
                pass
        assert refused.value.status_code == 403

    asyncio.run(connect())


def test_a_message_over_http_gets_a_vietnamese_answer_that_the_history_keeps(widget):
    session = new_session()
    answer = replies(post(widget, session, QUESTION, client_message_id="m-1"))
    assert "khai sinh" in joined(answer)
    assert all(set(message) == {"text", "buttons", "links", "author"} for message in answer)
    assert any(link["url"].startswith("https://") for message in answer for link in message["links"])
    entries = history(widget, session)
    assert entries[0]["who"] == "citizen" and entries[0]["text"] == QUESTION
    assert [entry["text"] for entry in entries[1:]] == [message["text"] for message in answer]
    assert {entry["who"] for entry in entries[1:]} == {"bot"}


def test_a_clicked_button_sends_its_payload_and_the_history_shows_its_title(widget):
    session = new_session()
    replies(post(widget, session, QUESTION))
    answer = replies(post(widget, session, FEE_PAYLOAD, shown="Lệ phí", client_message_id="m-2"))
    assert "lệ phí" in joined(answer)
    assert [entry["text"] for entry in history(widget, session) if entry["who"] == "citizen"] == [QUESTION, "Lệ phí"]


def test_a_message_over_the_socket_gets_typing_then_the_reply(widget):
    async def scenario() -> None:
        async with tab(widget, new_session()) as citizen:
            assert citizen.history == []
            message_id = await citizen.say(QUESTION)
            frames = await citizen.until("reply")
            assert [frame["type"] for frame in frames] == ["typing", "reply"]
            assert frames[-1]["client_message_id"] == message_id
            assert "khai sinh" in joined(frames[-1]["messages"])

    asyncio.run(scenario())


def test_the_other_tabs_of_a_session_see_the_message_and_the_reply_and_other_sessions_see_nothing(widget):
    session = new_session()

    async def scenario() -> None:
        async with tab(widget, session) as first, tab(widget, session) as second, tab(widget, new_session()) as other:
            message_id = await first.say(QUESTION)
            own = await first.until("reply")
            mirrored = await second.until("reply")
            assert [frame["type"] for frame in own] == ["typing", "reply"]  # no echo of its own message
            assert [frame["type"] for frame in mirrored] == ["typing", "citizen", "reply"]
            assert mirrored[1] == {"type": "citizen", "client_message_id": message_id, "text": QUESTION}
            assert mirrored[-1] == own[-1] and mirrored[-1]["client_message_id"] == message_id
            assert await other.quiet()
        async with tab(widget, session) as third:  # a tab opened later reads it all from the history
            assert [entry["who"] for entry in third.history][:2] == ["citizen", "bot"]

    asyncio.run(scenario())


def test_a_repeated_client_message_id_is_answered_once(widget):
    session = new_session()
    assert "khai sinh" in joined(replies(post(widget, session, QUESTION, client_message_id="again")))
    assert replies(post(widget, session, QUESTION, client_message_id="again")) == []

    async def scenario() -> None:
        async with tab(widget, session) as citizen:
            await citizen.say(FEE_PAYLOAD, client_message_id="fee", shown="Lệ phí")
            assert "lệ phí" in joined((await citizen.until("reply"))[-1]["messages"])
            await citizen.say(FEE_PAYLOAD, client_message_id="fee", shown="Lệ phí")  # a retry after a drop
            frames = await citizen.until("history")
            assert frames[-2]["type"] == "reply" and frames[-2]["messages"] == []
            assert [entry["text"] for entry in frames[-1]["entries"] if entry["who"] == "citizen"] == [
                QUESTION,
                "Lệ phí",
            ]

    asyncio.run(scenario())
    assert post(widget, session, "x", client_message_id="not url-safe!").status_code == 400


def test_a_malformed_frame_gets_an_error_frame_and_the_socket_goes_on(widget):
    async def scenario() -> None:
        async with tab(widget, new_session()) as citizen:
            bad = ("{not json", "[1, 2]", {"type": "subscribe"}, {"type": "message"}, {"type": "message", "text": 5})
            for frame in bad:
                await citizen.send(frame)
                assert (await citizen.frame(10))["type"] == "error"
            await citizen.say(QUESTION)
            assert "khai sinh" in joined((await citizen.until("reply"))[-1]["messages"])

    asyncio.run(scenario())


def test_histories_are_kept_apart_by_session(widget):
    first, second = new_session(), new_session()
    replies(post(widget, first, QUESTION))
    assert history(widget, second) == []
    assert {entry["text"] for entry in history(widget, first)} >= {QUESTION}


def test_html_typed_by_the_citizen_comes_back_as_the_same_text(widget):
    session = new_session()
    payload = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script> khai sinh'
    replies(post(widget, session, payload))
    assert history(widget, session)[0]["text"] == payload


def test_only_the_configured_origins_may_use_the_widget(assistant, services, clean_gateway_redis):
    allowed, other = "https://dichvucong.example.gov.vn", "https://elsewhere.example.com"
    settings = gateway_settings(assistant, WIDGET_ORIGINS=allowed)
    with serving(create_app(settings, services)) as url:
        session = new_session()
        ok = httpx.post(
            f"{url}/api/widget/messages", json={"session": session, "text": "xin chào"}, headers={"Origin": allowed}
        )
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == allowed
        preflight = httpx.options(
            f"{url}/api/widget/messages", headers={"Origin": allowed, "Access-Control-Request-Method": "POST"}
        )
        assert preflight.status_code == 204 and "POST" in preflight.headers["access-control-allow-methods"]
        foreign = {"Origin": other}
        body = {"session": session, "text": "hi"}
        assert httpx.post(f"{url}/api/widget/messages", json=body, headers=foreign).status_code == 403
        assert httpx.get(f"{url}/api/widget/history", params={"session": session}, headers=foreign).status_code == 403
        assert httpx.options(f"{url}/api/widget/messages", headers=foreign).status_code == 403

        async def sockets() -> None:
            async with tab(url, session, origin=allowed) as citizen:
                assert citizen.history
            with pytest.raises(InvalidStatusCode):
                async with tab(url, session, origin=other):
                    pass

        asyncio.run(sockets())


def test_an_answer_that_comes_late_is_pushed_to_the_open_tab_and_kept_once(assistant, services, clean_gateway_redis):
    proxy = FaultyProxy(assistant.rasa_url)
    with serving(proxy.app) as rasa_url:
        env = {"RASA_URL": rasa_url, "RASA_TIMEOUT": "1.5", "PENDING_RETRY_INTERVAL": "0.5"}
        with serving(create_app(gateway_settings(assistant, **env), services)) as url:
            session = new_session()

            async def scenario() -> None:
                async with tab(url, session) as citizen:
                    proxy.mode = "down"
                    await citizen.say(QUESTION)
                    apology = (await citizen.until("reply"))[-1]["messages"]
                    assert [m["author"] for m in apology] == ["system"] and "đã lưu tin nhắn" in joined(apology)
                    proxy.mode = "up"
                    late = (await citizen.until("reply", timeout=40))[-1]
                    assert "client_message_id" not in late and "khai sinh" in joined(late["messages"])

            asyncio.run(scenario())
            entries = history(url, session)
            assert [entry["who"] for entry in entries].count("citizen") == 1
            bot_texts = [entry["text"] for entry in entries if entry["who"] == "bot"]
            assert bot_texts and len(bot_texts) == len(set(bot_texts)), "each late answer is kept once"
