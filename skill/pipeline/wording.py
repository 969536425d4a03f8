"""The core's own lines: what Stride Coach says itself, outside any plugin."""

from __future__ import annotations

YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"

WELCOME = "Welcome to Stride Coach, your coach for a happier back on the run."
MENU_QUESTION = "What would you like to do?"
GOODBYE = "Goodbye, and easy running."
STOPPED_MID_PLAN = "Stopped. Next time you open Stride Coach, I'll offer to pick up where you left off."
BACK_HOME = "Okay, back to the start."
NOT_CAUGHT = "Sorry, I didn't catch that."
PAUSED_CHOICES = "Say resume to carry on, next to move on, or stop to finish."
NOTHING_FOR_THAT = "I don't have anything for that just now."
CANT_HELP_HERE = "Sorry, I can't help with that here."
PLUGIN_PROBLEM = "Sorry, that part of Stride Coach ran into a problem."
APOLOGY = "Sorry, something went wrong on my side."
APOLOGY_PROMPT = "You can ask for help. What would you like to do?"
ABOUT = ("Stride Coach guides runners with a sore lower back through short, safe routines. "
         "It's general exercise guidance, not medical advice.")
HELP_IN_CONVERSATION = "You can say stop at any time, or answer the question."
HELP_CONTROLS = "During a session you can say pause, resume, next, repeat or stop, any time."
NO_TO_PLAYER = ("Okay.", "Say next when you're ready, or stop to finish for now.")

NOTHING_PLAYING = {
    "AMAZON.PauseIntent": "There's nothing playing to pause.",
    "AMAZON.ResumeIntent": "There's nothing to resume right now.",
    "AMAZON.NextIntent": "There's nothing to move on from yet.",
    "AMAZON.PreviousIntent": "There's nothing to go back to yet.",
    "AMAZON.RepeatIntent": "There's nothing to repeat yet.",
    "AMAZON.StartOverIntent": "There's nothing to start over yet.",
    YES: "I'm not sure what you're saying yes to.",
    NO: "Okay.",
}


def help_in_plan(title: str) -> tuple[str, str]:
    """What can be said in the middle of a timed session, and the cue that follows."""
    return (f"You're in the middle of {title}. You can say pause, resume, next, previous, repeat, "
            "skip, or start over. Say keep going to run exercises back to back, or make the holds "
            "longer or shorter. Say stop to finish for now.",
            "Say resume to carry on, or stop to finish.")


def join_or(items: list[str]) -> str:
    """'a', 'a or b', 'a, b, or c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + ", or " + items[-1]


def menu_prompt(titles: list[str], anything_else: bool = False) -> str:
    choices = join_or(titles) if titles else "help"
    lead = "Anything else? You can ask for " if anything_else else "You can ask for "
    return f"{lead}{choices}. {MENU_QUESTION}"


def way_forward(titles: list[str]) -> str:
    return f"You could ask for {' or '.join(titles[:2])} instead." if titles else ""
