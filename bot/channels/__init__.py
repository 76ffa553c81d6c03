"""Rasa channels of our own: the debtors' web chat page (served by Rasa, talking to the REST webhook), the
agent console page, the agent-assist API and the trainers' role-play page.

The constants live here so that `bot.serving` can print the page's URL without importing Rasa.
"""

from __future__ import annotations

WEBCHAT_ROUTE = "webchat"
WEBCHAT_PATH = f"/webhooks/{WEBCHAT_ROUTE}/"
REST_WEBHOOK_PATH = "/webhooks/rest/webhook"
CONSOLE_ROUTE = "console"
CONSOLE_PATH = f"/webhooks/{CONSOLE_ROUTE}/"
ROLEPLAY_ROUTE = "roleplay"
ROLEPLAY_PATH = f"/webhooks/{ROLEPLAY_ROUTE}/"
