"""The action server (rasa-sdk): thin actions that call the `bot` package."""
