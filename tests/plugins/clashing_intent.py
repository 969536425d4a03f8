"""A plugin that claims an intent the built-in ``stretch_timer`` plugin already owns."""

from skill import Reply, hookimpl


@hookimpl
def register_intents(register):
    register({"name": "StartStretchIntent", "samples": {"en": ["begin my other stretches"]}},
             lambda turn: Reply.end("Never reached."))
