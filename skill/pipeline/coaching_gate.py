"""The core rule "screen before any coaching": every timed session passes the ``before_coaching`` gates.

A plan some plugin wants to play is offered to every plugin implementing ``before_coaching``. The
first gate that answers with a Reply speaks instead, and the plan waits in the session
(``core["held"]``) with the words that came with it. The gate's ``Reply(proceed=True)`` asks the
gates again and, once none objects, plays the plan after the gate's words. A gate reply that
closes the conversation without proceeding drops the held plan. A gate that fails stops the plan
(fail closed); the caller apologises.
"""

from __future__ import annotations

from typing import Any, Protocol

from skill.api.reply import Reply

HOOK = "before_coaching"


class _Exchange(Protocol):  # the parts of the request in progress this module uses
    host: Any
    state: Any

    def call_plugin(self, plugin: str, hook_name: str, **kwargs: Any) -> Reply | None: ...


def hold_for_gates(exchange: _Exchange, plan: Any, lead: str,
                   position: dict | None = None) -> tuple[str, Reply] | None:
    """The first gate's reply for ``plan``, which then waits in the session (with the resume
    ``position`` it is to start from, if any); None to play it now."""
    for name in exchange.host.loaded():
        if not exchange.host.implements(name, HOOK):
            continue
        reply = exchange.call_plugin(name, HOOK, plan=plan)
        if reply is None:
            continue
        reply.plan = None  # a gate speaks and asks; it never swaps in a session of its own
        exchange.state.core["held"] = {"plan": plan, "lead": lead, "position": position}
        return name, reply
    return None


def pop_held(exchange: _Exchange) -> dict | None:
    """The plan waiting for the gates (``{"plan", "lead"}``), taken out of the session."""
    return exchange.state.core.pop("held", None)


def drop_held_if_closed(exchange: _Exchange, reply: Reply) -> None:
    """A reply that ends, releases or goes to the menu abandons the coaching that was waiting."""
    if not reply.proceed and (reply.end_session or reply.release or reply.to_menu):
        exchange.state.core.pop("held", None)
