"""A plugin whose hook asks for an argument the hook does not have (``request`` instead of ``turn``)."""

from skill import Offer, hookimpl


@hookimpl
def launch_offer(request):
    return Offer(title="wrong arguments", try_saying="wrong arguments", help="Never shown.")
