"""The channel-neutral message model every connector speaks."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.messages import Button

URL = re.compile(r"https?://[^\s<>\"')\]]+")


@dataclass(frozen=True)
class Inbound:
    """One message from a citizen, as a connector parsed it."""

    channel: str  # "telegram", "zalo", "web", "rest"
    user_id: str  # the channel's own id for the citizen (chat id, Zalo user id, widget session)
    text: str  # what Rasa gets: typed text or a button's payload
    message_id: str = ""  # the channel's id for this delivery, for de-duplication
    shown: str = ""  # what the citizen saw, when it differs from `text` (a button's title)
    client: str = ""  # who sent it, for abuse limits: a keyed id of the caller's address (web, REST)

    @property
    def conversation_id(self) -> str:
        return f"{self.channel}:{self.user_id}"

    @property
    def client_key(self) -> str:
        """The sender for per-client limits: the address id, or the channel's account (Telegram, Zalo)."""
        return self.client or self.conversation_id

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Inbound:
        fields = ("channel", "user_id", "text", "message_id", "shown", "client")
        return cls(**{key: str(data.get(key, "")) for key in fields})


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Outbound:
    """One message to a citizen: text, choice buttons (payloads), links. `author` says who wrote it."""

    text: str
    buttons: tuple[Button, ...] = ()
    links: tuple[Link, ...] = field(default=())
    author: str = "bot"  # "bot", "system" (the gateway itself) or a staff member's display name

    @classmethod
    def from_rasa(cls, message: dict[str, Any]) -> Outbound:
        """A message of Rasa's REST channel: buttons with a URL payload become links."""
        text = str(message.get("text") or "")
        buttons: list[Button] = []
        links = [Link(url, url) for url in URL.findall(text)]
        for button in message.get("buttons") or []:
            title, payload = str(button.get("title", "")), str(button.get("payload", ""))
            if URL.fullmatch(payload):
                links.append(Link(title, payload))
            else:
                buttons.append(Button(title, payload))
        return cls(text=text, buttons=tuple(buttons), links=tuple(links))

    @property
    def speaker(self) -> str:
        """Who speaks, for transcripts: "bot", "system" or "staff"."""
        return self.author if self.author in {"bot", "system"} else "staff"

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "buttons": [b.as_dict() for b in self.buttons],
            "links": [asdict(link) for link in self.links],
            "author": self.author,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outbound:
        return cls(
            text=data.get("text", ""),
            buttons=tuple(Button(b["title"], b["payload"]) for b in data.get("buttons", [])),
            links=tuple(Link(link["title"], link["url"]) for link in data.get("links", [])),
            author=data.get("author", "bot"),
        )


def system_message(text: str, buttons: tuple[Button, ...] = ()) -> Outbound:
    return Outbound(text=text, buttons=buttons, author="system")
