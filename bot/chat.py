"""`python -m bot chat`: a terminal chat with the running assistant, through the gateway's REST channel."""

from __future__ import annotations

import uuid

import httpx

DEFAULT_URL = "http://localhost:8000/webhooks/rest/webhook"  # the gateway's REST channel


def render(reply: dict) -> tuple[str, list[dict]]:
    """One bot message as terminal text, buttons numbered; returns the text and the buttons."""
    buttons = reply.get("buttons") or []
    lines = [f"🤖 {reply.get('text', '')}"] + [f"   [{i}] {b['title']}" for i, b in enumerate(buttons, 1)]
    return "\n".join(lines), buttons


def chat(url: str = DEFAULT_URL) -> int:
    sender = f"cli:{uuid.uuid4().hex[:12]}"
    buttons: list[dict] = []
    print("Trò chuyện với MotCua (gõ số để bấm nút, Ctrl-D để thoát).")
    with httpx.Client(timeout=60) as client:
        while True:
            try:
                text = input("👤 ").strip()
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            if text.isdigit() and 1 <= int(text) <= len(buttons):
                text = buttons[int(text) - 1]["payload"]
            try:
                replies = client.post(url, json={"sender": sender, "message": text}).json()
            except httpx.HTTPError as error:
                print(f"Không kết nối được tới trợ lý ({error}). Đã chạy `make run` chưa?")
                continue
            buttons = []
            for reply in replies:
                shown, buttons = render(reply)
                print(shown)
