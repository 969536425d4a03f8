"""A plugin with an intent whose slot type (``RollArea``) no plugin registers."""

from skill import Reply, hookimpl


@hookimpl
def register_intents(register):
    register({"name": "RollAreaIntent", "slots": [{"name": "area", "type": "RollArea"}],
              "samples": {"en": ["roll out my {area}"]}},
             lambda turn: Reply.end("Never reached."))
