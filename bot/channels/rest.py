"""The REST channel with the message length limit: a longer message gets a polite answer and never reaches
the language understanding or the tracker store (declared as `bot.channels.rest.LimitedRestInput` in
credentials.yml; same URL as Rasa's own: POST /webhooks/rest/webhook)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from bot.identification.limits import too_long


class LimitedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        async def within_limits(message: UserMessage) -> None:
            answer = too_long(message.text)
            if answer is not None:
                await message.output_channel.send_text_message(message.sender_id, answer)
                return
            await on_new_message(message)

        return super().blueprint(within_limits)
