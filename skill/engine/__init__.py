"""The timed-session engine: plans as data in, responses within Alexa's limits out.

Plugins describe a session as a plan (``skill/host/schemas/plan.schema.json``, typed in
:mod:`.plan`) and return it with ``Reply.play(plan)``. :mod:`.timeline` renders blocks into speech
and exact silences; :mod:`.player` decides what goes into each response, tracks the position, and
handles pause, resume, next, previous, repeat, skip and start over for every plugin alike.
"""

from skill.engine.plan import Block, Plan, PlayerState
from skill.engine.player import Played, Player, plan_minutes
from skill.engine.timeline import Position

__all__ = ["Block", "Plan", "Played", "Player", "PlayerState", "Position", "plan_minutes"]
