"""A plugin with a typo in a hook name: ``register_intent`` is not a hook (``register_intents`` is)."""

from skill import hookimpl


@hookimpl
def register_intent(register):
    register({"name": "TypoIntent", "samples": {"en": ["typo test"]}}, lambda turn: None)
