"""What a plugin hands back to the core: a :class:`Reply` to a request, an :class:`Offer` at launch."""

from __future__ import annotations

from dataclasses import dataclass, field

from skill.engine.plan import Plan
from skill.speech.builder import Speech


@dataclass
class Reply:
    """A plugin's answer. The core renders it, applies Alexa's limits and keeps the session rules.

    * ``prompt`` is the question or cue that ends the response; it is also the reprompt. A reply
      that keeps the session open must have one, and it must be a question or tell the user what
      to say ("Say next when you're ready."); anything else is refused with an apology.
    * ``plan`` hands a timed session (see ``skill/host/schemas/plan.schema.json``) to the core's engine,
      which plays it after ``speech``.
    * ``resume_plan`` continues the timed session that was interrupted (for example by a pain check).
    * ``stop_plan`` drops the timed session in progress (for example when a check must stop).
    * ``mark`` attaches a note to the timed session in progress (``{"pain": 6}``); the plan's owner
      finds every note in ``plan["data"]["marks"]`` when ``plan_finished`` fires.
    * ``release`` ends this plugin's conversation: generic intents stop coming to it.
    * ``to_menu`` releases the conversation and ends with the main menu question.
    * ``elicit`` (``"Intent.slot"``): the prompt asks for that slot, so a bare answer ("legs",
      "seven") comes back as that intent with the slot filled. The slot needs ``samples`` of its
      own in the intent's definition.
    * ``confirm`` (an intent name): the prompt is a yes-or-no about that intent; the answer comes
      back as that intent, confirmed or denied (``turn.confirmation``). The intent needs
      ``"confirm": true`` in its definition.
    * ``proceed`` (from a ``before_coaching`` gate only) plays the timed session the core is
      holding, after ``speech``.
    """

    speech: Speech = field(default_factory=Speech)
    prompt: str | None = None
    end_session: bool = False
    plan: Plan | None = None
    resume_plan: bool = False
    stop_plan: bool = False
    mark: dict | None = None
    release: bool = False
    to_menu: bool = False
    elicit: str | None = None
    confirm: str | None = None
    proceed: bool = False

    @classmethod
    def ask(cls, *sentences: str, prompt: str, elicit: str | None = None) -> Reply:
        """Say ``sentences``, then ask ``prompt`` and listen (for the slot ``elicit``, if given)."""
        return cls(Speech(*sentences), prompt=prompt, elicit=elicit)

    @classmethod
    def end(cls, *sentences: str) -> Reply:
        """Say ``sentences`` and end the session."""
        return cls(Speech(*sentences), end_session=True, release=True)

    @classmethod
    def menu(cls, *sentences: str) -> Reply:
        """Say ``sentences``, then offer the main menu."""
        return cls(Speech(*sentences), to_menu=True, release=True)

    @classmethod
    def play(cls, plan: Plan, *sentences: str) -> Reply:
        """Say ``sentences``, then start playing a timed session plan."""
        return cls(Speech(*sentences), plan=plan)


@dataclass
class Offer:
    """One plugin's line in the welcome and the help.

    ``title`` completes "You can ask for ..." (``"a back check"``); ``try_saying`` is a sample
    utterance of one of the plugin's intents (the short help says "say <try_saying> for <title>");
    ``help`` is one sentence for the fuller help, on "what else can I say?";
    ``nudge`` is an optional personal question for the launch ("Start your plan?"), and
    ``nudge_id`` names it: when the core speaks it, the user's next answer reaches this plugin's
    ``handle_followup`` with ``turn.answering_nudge == nudge_id``.
    """

    title: str
    try_saying: str
    help: str
    priority: int = 50
    nudge: str | None = None
    nudge_id: str = "nudge"
    plugin: str = ""
