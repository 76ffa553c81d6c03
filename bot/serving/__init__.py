"""Starting and stopping the Rasa server and the action server as one stack."""

from bot.serving.stack import Stack, StackConfig

__all__ = ["Stack", "StackConfig"]
