"""A plugin whose intent handler returns a plain string instead of a ``Reply``."""

from skill import hookimpl


@hookimpl
def register_intents(register):
    register({"name": "StringReplyIntent", "samples": {"en": ["try the string handler"]}},
             lambda turn: "A string is not a Reply.")
