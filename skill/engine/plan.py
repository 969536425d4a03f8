"""The shapes of the engine's data, for mypy: a plan and its blocks (``skill/host/schemas/plan.schema.json``
is the contract plugins are validated against) and the player's state in the session attributes.

Plans travel as JSON through session attributes and the store, so these are TypedDicts over plain
dicts rather than classes.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class Block(TypedDict):
    """One exercise of a plan: set-up lines, sides, sets, the work (a hold or reps at a tempo) and rests."""

    id: str
    name: str
    short_name: str
    setup: list[str]
    sides: list[str]
    sets: int
    work: dict[str, Any]  # {"type": "hold", "seconds"} or {"type": "reps", "reps", "tempo"}
    safety: NotRequired[str]
    cues: NotRequired[list[str]]
    switch: NotRequired[str]
    rest_seconds: NotRequired[int]
    short_setup: NotRequired[list[str]]  # said instead of setup and safety once the user knows it
    get_ready_seconds: NotRequired[int]
    phrasings: NotRequired[dict[str, list[str]]]  # own wordings of the engine's recurring lines
    data: NotRequired[dict[str, Any]]


class Plan(TypedDict):
    """A timed session as data: the blocks the engine plays, and who owns it (see the plan schema)."""

    id: str
    owner: str
    title: str
    blocks: list[Block]
    intro: NotRequired[str]
    outro: NotRequired[str]
    data: NotRequired[dict[str, Any]]
    record: NotRequired[bool]
    listen: NotRequired[str]


class PlayerState(TypedDict, total=False):
    """``session["core"]["player"]``: the plan playing and where its current response starts and ends.

    ``paused`` is the position where the user interrupted the response (not the stored resume
    point, which is :meth:`skill.store.user_state.UserState.resume_point`).
    """

    plan: Plan
    continuous: bool
    plan_version: str
    start: dict[str, Any]
    end: dict[str, Any] | None
    at: str | None
    lead: float
    recue: bool
    scale: float
    rate: int
    paused: dict[str, Any] | None
    segment_continuous: bool
    segment_id: str
    done: bool
    finished_once: bool
    history_entry: dict[str, Any]
    recorded: bool
    familiar: list[str]  # the plan's exercises the user knew when it started: short set-up
    coaching: dict[str, Any]  # how the playing response was rendered (skill.engine.timeline.Coaching)
    counted: list[int]  # blocks already counted in the familiarity record


class Playing(TypedDict):
    """What a plugin sees of the timed session in progress (``Turn.playing``): read only."""

    title: str
    owner: str
    block: Block  # the block the user is in, or has just finished, with its ``data``
    paused: bool  # the user interrupted it: this request came mid-response


class ResumePoint(TypedDict, total=False):
    """Where an unfinished timed session stopped, kept in the store across sessions, with its plan
    (``skill.store.user_state.UserState.resume_point``; the stored sections are ``paused`` and
    ``paused_plan``, names kept for data saved by earlier versions)."""

    plan: Plan
    position: dict[str, Any]
    date: str  # the day it stopped, ISO 8601
    after: str | None
    during: str | None
    plan_version: str | None
