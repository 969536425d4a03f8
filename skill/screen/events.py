"""Touch buttons: the UserEvents the screens send, and the spoken intent each one stands for.

A button sends ``["control", action]`` (see ``documents/common.json``). The core answers it as the
intent a user would have said, through the same routing, so a tap and the words do the same thing.
Anything else a client sends is answered as words the skill did not catch.
"""

from __future__ import annotations

USER_EVENT = "Alexa.Presentation.APL.UserEvent"
FALLBACK_INTENT = "AMAZON.FallbackIntent"
ACTIONS = {
    "pause": "AMAZON.PauseIntent", "resume": "AMAZON.ResumeIntent", "next": "AMAZON.NextIntent",
    "previous": "AMAZON.PreviousIntent", "repeat": "AMAZON.RepeatIntent", "stop": "AMAZON.StopIntent",
    "help": "AMAZON.HelpIntent", "yes": "AMAZON.YesIntent", "no": "AMAZON.NoIntent",
}
LABELS = {"pause": "Pause", "resume": "Resume", "next": "Next", "previous": "Back", "repeat": "Repeat",
          "stop": "Stop", "help": "Help", "yes": "Yes", "no": "No"}


def intent_for_event(arguments: object) -> str:
    """The intent a UserEvent's ``arguments`` stand for (the fallback for anything unknown)."""
    if isinstance(arguments, list) and len(arguments) == 2 and arguments[0] == "control":
        return ACTIONS.get(arguments[1], FALLBACK_INTENT) if isinstance(arguments[1], str) else FALLBACK_INTENT
    return FALLBACK_INTENT


def buttons(*actions: str) -> list[dict]:
    return [{"label": LABELS[action], "action": action} for action in actions]
