"""What a screen shows, built by the core from the player and the reply: no plugin provides any of it.

:func:`screen_payload` looks at the request as it ends and picks one of four screens:

* ``coach``: a timed session started playing in this response; its frames (see
  :mod:`skill.screen.timeline`) follow the speech second by second;
* ``paused``: the session is paused; where, and how much of that hold or rest is left;
* ``summary``: the session ended in this response with nothing left to play;
* ``menu``: everything else; the question being asked, and at the menu the things to ask for.

The same payload is the APL datasource on an Echo Show and what the browser coach draws.
"""

from __future__ import annotations

from typing import Any, Protocol

from skill.engine.plan import Plan, PlayerState
from skill.engine.timeline import Position, sides_of, timed_seconds, whole_seconds_left
from skill.screen.events import buttons
from skill.screen.timeline import closing_frame, coach_frames, counts_down, display_name, side_label

TITLE = "Stride Coach"
PLAYING_BUTTONS = ("pause", "next", "repeat", "stop")
PAUSED_BUTTONS = ("resume", "next", "repeat", "stop")
MENU_BUTTONS = ("help", "stop")


class ScreenSource(Protocol):
    """What the payload is built from: the request's exchange, as it stands once the response is built."""

    player: Any
    now: Any
    finished: dict | None
    state: Any

    @property
    def active(self) -> str | None: ...

    def menu_offers(self) -> list: ...


def screen_payload(source: ScreenSource, prompt: str | None) -> dict:
    """The payload of the screen that goes with this response."""
    player = source.player
    if player.active and player.state.get("paused") is not None:
        return paused_payload(player.plan, Position.from_dict(player.state["paused"]), float(player.state.get(
            "scale", player.prefs.get("hold_scale", 1.0))))
    if player.active and player.state.get("at") == source.now.isoformat():
        return coach_payload(player.plan, player.state, prompt, finished=bool(player.state.get("done")))
    if source.finished is not None:
        return summary_payload(source.finished["plan"], source.finished["minutes"], prompt)
    return menu_payload(source, prompt)


def coach_payload(plan: Plan, player: PlayerState, prompt: str | None, finished: bool = False) -> dict:
    frames = coach_frames(plan, player)
    seconds = frames[-1]["t1"] if frames else 0.0
    closing = f"That's {plan['title']} done." if finished else (prompt or "")
    frames.append(closing_frame(seconds, display_name(plan["title"]), closing))
    return {"kind": "coach", "title": display_name(plan["title"]), "frames": frames, "seconds": seconds,
            "buttons": buttons(*PLAYING_BUTTONS)}


def paused_payload(plan: Plan, position: Position, hold_scale: float) -> dict:
    blocks = plan["blocks"]
    block = blocks[min(position.block, len(blocks) - 1)]
    big, progress = "", "Before it starts"
    if position.phase in ("work", "rest"):
        noun = "Hold" if block["work"]["type"] == "hold" else "Set"
        progress = f"{noun} {position.set + 1} of {block['sets']}"
        if sides_of(block) > 1:
            progress += f" · side {position.side + 1} of {sides_of(block)}"
        if counts_down(plan, position):
            big = _seconds_left(timed_seconds(block, position, hold_scale) - position.done)
        elif position.phase == "work":
            big = f"{int(position.done)} / {block['work']['reps']}"
        if position.phase == "rest":
            progress = "Resting after " + progress.lower()
    return {"kind": "paused", "title": f"Paused · {display_name(plan['title'])}", "name": display_name(block["name"]),
            "side": side_label(block, position.side),
            "progress": progress, "big": big, "cue": "Say resume, or tap Resume, to carry on.",
            "buttons": buttons(*PAUSED_BUTTONS)}


def _seconds_left(seconds: float) -> str:
    return f"{whole_seconds_left(seconds)} s left"  # as the countdown showed it when the pause came


def summary_payload(plan: Plan, minutes: float, prompt: str | None) -> dict:
    skipped = {mark.get("skipped") for mark in (plan.get("data") or {}).get("marks", []) if isinstance(mark, dict)}
    lines = [display_name(block["name"]) + (" (skipped)" if block.get("id") in skipped else "")
             for block in plan["blocks"]]
    return {"kind": "summary", "title": TITLE, "headline": f"{display_name(plan['title'])}: done",
            "lines": [f"About {minutes:g} minutes", *lines], "hint": prompt or "", "buttons": buttons(*MENU_BUTTONS)}


def menu_payload(source: ScreenSource, prompt: str | None) -> dict:
    at_menu = source.active is None and not source.player.active
    items = [{"title": offer.title[:1].upper() + offer.title[1:], "example": f"Say “{offer.try_saying}”"}
             for offer in source.menu_offers()] if at_menu else []
    return {"kind": "menu", "title": TITLE, "headline": prompt or TITLE, "items": items,
            "buttons": buttons(*MENU_BUTTONS)}
