"""A plugin whose intent handler changes its stored data, then raises."""

from skill import hookimpl


@hookimpl
def register_intents(register):
    register({"name": "BrokenHandlerIntent", "samples": {"en": ["try the broken handler"]}}, crash)


def crash(turn):
    turn.stored["half_done"] = True  # must not be saved: the turn failed
    turn.session["half_done"] = True
    raise RuntimeError("internal detail that must never be spoken")
