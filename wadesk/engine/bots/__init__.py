"""Bots: flows stored with drafts and published revisions, bots attached to numbers, and the
runtime that answers customers (`BotRuntime`, an Engine component exposed as `engine.bots`).

    info = await engine.bots.create_flow("Welcome", flow)
    revision, warnings = await engine.bots.publish(info.id)
    bot = await engine.bots.create_bot("Greeter", number_id=number.id, flow_id=info.id)
    await engine.bots.set_bot_active(bot.id, True)
"""

from wadesk.engine.bots.commands import BotCommands
from wadesk.engine.bots.models import (
    Bot,
    BotError,
    BotSettings,
    BotStats,
    FlowInfo,
    FlowRevision,
    SessionRecord,
)
from wadesk.engine.bots.runtime import BotRuntime
from wadesk.engine.bots.sender import DirectSender, OutboxSender, Sender

__all__ = [
    "Bot",
    "BotCommands",
    "BotError",
    "BotRuntime",
    "BotSettings",
    "BotStats",
    "DirectSender",
    "FlowInfo",
    "FlowRevision",
    "OutboxSender",
    "Sender",
    "SessionRecord",
]
