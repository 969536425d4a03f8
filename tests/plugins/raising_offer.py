"""A plugin whose ``launch_offer`` raises on every launch and help."""

from skill import hookimpl


@hookimpl
def launch_offer(turn):
    raise RuntimeError("the offer database is down")
