"""The action server (rasa-sdk): thin actions that call the `bot` package."""

import sys

if "rasa_sdk" in sys.argv[0]:  # started as the action server: load spaCy now, not on the first debtor's message
    from bot.listening.nlp import warm_up

    warm_up()
