"""One of two third-party plugins that claim the same intent (see ``rival_two``)."""

from skill import Reply, hookimpl


@hookimpl
def register_intents(register):
    register({"name": "RivalIntent", "samples": {"en": ["the rival routine"]}},
             lambda turn: Reply.end("The first rival answered."))
