"""Which channels a deployment serves: REST and the web widget always, Telegram and Zalo when configured."""

from __future__ import annotations

import logging

from bot.gateway.clients import ClientAddresses
from bot.gateway.conversations import Gateway
from bot.settings import Settings
from connectors.base import Channel
from connectors.rest import RestChannel
from connectors.telegram import TelegramChannel
from connectors.web import WebChannel
from connectors.zalo import ZaloChannel

log = logging.getLogger(__name__)


def build_channels(settings: Settings, gateway: Gateway, clients: ClientAddresses) -> list[Channel]:
    channels: list[Channel] = [RestChannel(gateway, clients), WebChannel(settings, gateway, clients)]
    if settings.telegram_bot_token:
        channels.append(TelegramChannel(settings, gateway))
    else:
        log.info("Telegram off: TELEGRAM_BOT_TOKEN is not set")
    if settings.zalo_app_id and settings.zalo_oa_secret_key:
        channels.append(ZaloChannel(settings, gateway))
    else:
        log.info("Zalo off: ZALO_APP_ID and ZALO_OA_SECRET_KEY are not set")
    for channel in channels:
        gateway.register(channel)
    return channels
