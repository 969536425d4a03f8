"""Natural utterances at each point of a conversation, and what each should lead to.

Written from how people talk to a speaker mid-workout: fillers, "please", bare answers, their own
words for muscles and pain, small slips. Each case is ``(utterance, expected)``; ``expected`` is
``Intent`` or ``Intent slot=id ...`` (built-in names without ``AMAZON.``; ``A|B``: either), optionally followed by
what the user must notice: ``+plays`` (the session carries on), ``+paused`` (it stays paused),
``+ends`` (the session ends). A point's ``setup`` is chat lines (``@N`` as in ``stride-coach
chat --paced``; ``@hold`` and ``@rep`` land a few seconds into the first hold or rep of the last
response; ``!Intent slot=value`` sends an intent as Alexa would for a slot value the model does
not list). Users are returning runners who answered the safety screen today, except at points
marked ``new_user`` (the back check's own screen and self-checks).
"""

from __future__ import annotations

POINTS: dict[str, dict] = {
    "menu": {"setup": ["open stride coach"], "cases": [
        ("glute stretches please", "StretchMuscleIntent muscle=glutes +plays"),
        ("check my back please", "CheckMyBackIntent"),
        ("i just got back from a run", "StartStretchIntent +plays"),
        ("warm me up before my run", "WarmUpIntent +plays"),
        ("how did i do this week", "ProgressIntent"),
        ("um can we do some stretching", "StartStretchIntent +plays"),
        ("my hammies are really tight", "StretchMuscleIntent muscle=hamstrings +plays"),
        ("stretch my quads", "StretchMuscleIntent muscle=quadriceps +plays"),
        ("i want to stretch my hip flexors", "StretchMuscleIntent muscle=hip_flexors +plays"),
        ("let's do a leg workout", "StrengthRoutineIntent routine=legs +plays"),
        ("core workout please", "StrengthRoutineIntent routine=core +plays"),
        ("start a strength session", "StartStrengthIntent +plays"),
        ("i'd like to do some strength training", "StartStrengthIntent +plays"),
        ("my lower back is stiff", "CheckMyBackIntent"),
        ("what should i stretch", "CheckMyBackIntent"),
        ("i've only got five minutes", "StretchForMinutesIntent minutes=5 +plays"),
        ("give me a ten minute stretch", "StretchForMinutesIntent minutes=10 +plays"),
        ("what can you do", "Help"),
        ("help", "Help"),
        ("no thanks bye", "Stop +ends"),
        ("okay so let's do squats", "StrengthRoutineIntent routine=squats +plays"),
        ("alexa stretch my bum", "StretchMuscleIntent muscle=glutes +plays"),
        ("loosen up my hamstrings please", "StretchMuscleIntent muscle=hamstrings +plays"),
        ("how am i getting on", "ProgressIntent"),
        ("forget everything about me", "ForgetMeIntent"),
        ("speak a bit slower please", "SlowerIntent"),
        ("make the holds longer", "LongerHoldsIntent"),
        ("what's my streak", "ProgressIntent"),
        ("i'm about to go for a run", "WarmUpIntent +plays"),
        ("can you check my back", "CheckMyBackIntent"),
        ("streching for my quads", "StretchMuscleIntent muscle=quadriceps +plays"),
        ("my lower back is a bit sore today", "Pain"),
        ("my back feels really stiff this morning", "CheckMyBackIntent"),
        ("my back's been pretty tight lately", "CheckMyBackIntent"),
        ("just got in from a run", "AfterRunIntent +plays"),
        ("so i've just done my parkrun", "AfterRunIntent +plays"),
        ("my legs are heavy", "AfterRunIntent +plays"),
    ]},
    "strength_choice": {"setup": ["open stride coach", "!StrengthRoutineIntent routine=yoga"], "cases": [
        ("legs", "StrengthRoutineIntent routine=legs +plays"),
        ("core", "StrengthRoutineIntent routine=core +plays"),
        ("full body", "StrengthRoutineIntent routine=full_body +plays"),
        ("um legs please", "StrengthRoutineIntent routine=legs +plays"),
        ("let's do squats", "StrengthRoutineIntent routine=squats +plays"),
        ("deadlifts", "StrengthRoutineIntent routine=deadlifts +plays"),
        ("the lunges", "StrengthRoutineIntent routine=lunges +plays"),
        ("abs", "StrengthRoutineIntent routine=core +plays"),
        ("i'll do a core one", "StrengthRoutineIntent routine=core +plays"),
        ("leg day", "StrengthRoutineIntent routine=legs +plays"),
        ("how about full body", "StrengthRoutineIntent routine=full_body +plays"),
        ("whole body i think", "StrengthRoutineIntent routine=full_body +plays"),
        ("maybe lunges", "StrengthRoutineIntent routine=lunges +plays"),
        ("squats please", "StrengthRoutineIntent routine=squats +plays"),
        ("lower body", "StrengthRoutineIntent routine=legs +plays"),
        ("none of those", "No"),
        ("stop", "Stop +ends"),
        ("what are the options", "Help"),
        ("let's go with legs", "StrengthRoutineIntent routine=legs +plays"),
        ("a legs session please", "StrengthRoutineIntent routine=legs +plays"),
        ("dead lifts", "StrengthRoutineIntent routine=deadlifts +plays"),
        ("core work", "StrengthRoutineIntent routine=core +plays"),
        ("i want the full body one", "StrengthRoutineIntent routine=full_body +plays"),
        ("never mind", "Cancel +ends"),
    ]},
    "safety": {"setup": ["open stride coach", "check my back"], "new_user": True, "cases": [
        ("no", "No"), ("nope", "No"), ("nah", "No"), ("not at all", "No"), ("no i haven't", "No"),
        ("no nothing like that", "No"), ("yes", "Yes +ends"), ("yeah", "Yes +ends"), ("i think so", "NotSure +ends"),
        ("i'm not sure", "NotSure +ends"), ("not really", "No"), ("um no", "No"), ("no thank you", "No"),
        ("definitely not", "No"), ("repeat that", "Repeat"), ("say that again please", "Repeat"), ("pardon", "Repeat"),
        ("what do you mean", "Help"), ("stop", "Stop +ends"), ("i don't know", "NotSure +ends"),
        ("no i'm fine", "No"), ("nope none", "No"), ("yep", "Yes +ends"), ("help", "Help"), ("again", "Repeat"),
    ]},
    "self_check": {"setup": ["open stride coach", "check my back", "*no"], "new_user": True, "cases": [
        ("pretty tight", "CheckLevel level=very_tight"), ("a bit tight", "CheckLevel level=bit_tight"),
        ("kinda tight", "CheckLevel level=bit_tight"), ("fine", "CheckLevel level=free"),
        ("it felt fine", "CheckLevel level=free"), ("normal", "CheckLevel level=free"),
        ("loose", "CheckLevel level=free"), ("a bit stiff", "CheckLevel level=bit_tight"),
        ("tight", "CheckLevel level=bit_tight"), ("very tight", "CheckLevel level=very_tight"),
        ("really stiff", "CheckLevel level=very_tight"), ("it moved freely", "CheckLevel level=free"),
        ("felt good", "CheckLevel level=free"), ("um a little tight", "CheckLevel level=bit_tight"),
        ("that side was really tight", "CheckLevel level=very_tight"),
        ("it was kind of stiff", "CheckLevel level=bit_tight"), ("super tight", "CheckLevel level=very_tight"),
        ("no tightness at all", "CheckLevel level=free"), ("again", "Repeat"),
        ("that hurt", "Pain"), ("ow", "Pain"), ("stop", "Stop +ends"),
        ("it's quite tight", "CheckLevel level=very_tight"), ("pretty good", "CheckLevel level=free"),
        ("slightly tight i think", "CheckLevel level=bit_tight"),
    ]},
    "hold": {"setup": ["open stride coach", "stretch my hamstrings"], "at": "@hold", "cases": [
        ("how long is left", "TimeLeft +plays"), ("how much longer", "TimeLeft +plays"),
        ("how many seconds left", "TimeLeft +plays"), ("what's next", "WhatsNext +plays"),
        ("which side am i on", "WhichSide +plays"), ("is this the left side", "WhichSide +plays"),
        ("how long is the session", "SessionLeft +plays"), ("how many stretches are left", "SessionLeft +plays"),
        ("pause", "Pause +paused"), ("hang on", "Pause +paused"), ("wait a sec", "Pause +paused"),
        ("give me a second", "Pause +paused"), ("that hurts", "Pain"), ("ow my knee", "Pain"),
        ("it's sore", "Pain"), ("my back hurts", "Pain"), ("it's still a bit sore", "Pain"),
        ("next", "Next +plays"), ("skip this one", "Skip +plays"),
        ("stop", "Stop +ends"), ("make the holds shorter", "ShorterHoldsIntent"),
        ("from the beginning", "StartOver +plays"), ("say that again", "Repeat +plays"),
        ("purple monkey", "Fallback +plays"), ("how long have i got left on this one", "TimeLeft +plays"),
        ("ouch that hurt", "Pain"), ("bye", "Stop +ends"), ("what comes next", "WhatsNext +plays"),
        ("is it nearly done", "TimeLeft +plays"), ("i pulled my hamstring", "Pain"),
        ("ease off a bit please", "EaseOff"),
        ("how much longer on this one", "TimeLeft +plays"), ("how much longer on this exercise", "TimeLeft +plays"),
        ("um how long is this one", "TimeLeft +plays"),
    ]},
    "paused": {"setup": ["open stride coach", "stretch my hamstrings", "@hold pause"], "cases": [
        ("resume", "Resume +plays"), ("go on", "Resume +plays"), ("carry on", "Resume +plays"),
        ("continue please", "Resume +plays"), ("ok i'm back", "Resume +plays"), ("i'm ready again", "Resume +plays"),
        ("let's carry on", "Resume +plays"), ("yes", "Yes +plays"), ("next", "Next +plays"),
        ("start over", "StartOver +plays"), ("from the beginning", "StartOver +plays"), ("stop", "Stop +ends"),
        ("how long is left", "TimeLeft +paused"), ("which side was i on", "WhichSide +paused"),
        ("back to it", "Resume +plays"), ("unpause", "Resume +plays"), ("keep going", "KeepGoingIntent +plays"),
        ("help", "Help"), ("that's enough for today", "Stop +ends"), ("my back hurts", "Pain"),
        ("um resume please", "Resume +plays"), ("okay go on", "Resume|Yes +plays"), ("skip it", "Skip +plays"),
        ("what's next", "WhatsNext +paused"),
    ]},
    "set": {"setup": ["open stride coach", "let's do legs"], "at": "@rep", "cases": [
        ("how many reps left", "RepsLeft +plays"), ("how many more", "RepsLeft +plays"),
        ("how many sets are left", "RepsLeft +plays"), ("what's next", "WhatsNext +plays"),
        ("this is too hard", "SetFeedback effort=hard"), ("too easy", "SetFeedback effort=easy"),
        ("easy", "SetFeedback effort=easy"), ("it felt fine", "SetFeedback effort=right"),
        ("piece of cake", "SetFeedback effort=easy"), ("brutal", "SetFeedback effort=hard"),
        ("pause", "Pause +paused"), ("wait", "Pause +paused"), ("my knee hurts", "Pain"),
        ("that hurt", "Pain"), ("my back hurts", "Pain"), ("i don't have a bench", "MissingEquipmentIntent kit=bench"),
        ("skip", "Skip +plays"), ("stop", "Stop +ends"), ("how long is left", "TimeLeft +plays"),
        ("good", "SetFeedback effort=right"), ("way too hard", "SetFeedback effort=hard"),
        ("that's too heavy", "SetFeedback effort=hard"), ("slow down", "SlowerIntent"),
        ("it's sore", "Pain"), ("how long is the workout", "SessionLeft +plays"),
    ]},
    "after_set": {"setup": ["open stride coach", "let's do a full body session"], "cases": [
        ("too hard", "SetFeedback effort=hard"), ("that was easy", "SetFeedback effort=easy"),
        ("just right", "SetFeedback effort=right"), ("i did eight", "RepsDone reps=8"),
        ("i only managed six", "RepsDone reps=6"), ("i got eight reps", "RepsDone reps=8"),
        ("i used twelve and a half kilos", "WeightUsed amount=12.5 unit=kg"),
        ("i used twenty pound dumbbells", "WeightUsed amount=20 unit=lb"),
        ("next", "Next +plays"), ("next one please", "Next +plays"), ("ok next", "Next +plays"),
        ("what's next", "WhatsNext"), ("no bench", "MissingEquipmentIntent kit=bench"),
        ("piece of cake", "SetFeedback effort=easy"), ("it felt fine", "SetFeedback effort=right"),
        ("tough", "SetFeedback effort=hard"), ("stop", "Stop +ends"), ("ten reps", "RepsDone reps=10"),
        ("i managed ten", "RepsDone reps=10"), ("pretty good", "SetFeedback effort=right"),
        ("i lifted fifteen kilos", "WeightUsed amount=15 unit=kg"), ("again", "Repeat +plays"),
    ]},
    "pain_score": {"setup": ["open stride coach", "stretch my hamstrings", "@hold that hurts"], "cases": [
        ("seven", "PainScore score=7 +ends"), ("like a seven", "PainScore score=7 +ends"),
        ("six or seven", "PainScore score=7 +ends"), ("pretty bad", "PainScore score=7 +ends"),
        ("two", "PainScore score=2"), ("about a three", "PainScore score=3"), ("maybe a four", "PainScore score=4"),
        ("it's a five", "PainScore score=5"), ("a two", "PainScore score=2"), ("eight out of ten",
         "PainScore score=8 +ends"),
        ("not too bad", "PainScore score=2"), ("mild", "PainScore score=2"), ("really bad", "PainScore score=8 +ends"),
        ("ten", "PainScore score=10 +ends"), ("one", "PainScore score=1"), ("um three", "PainScore score=3"),
        ("i'd say a six", "PainScore score=6 +ends"), ("zero", "PainScore score=0"),
        ("three or four", "PainScore score=4"), ("just a twinge", "PainScore score=2"),
        ("it's about a four", "PainScore score=4"), ("stop", "Stop +ends"), ("awful", "PainScore score=8 +ends"),
        ("2", "PainScore score=2"), ("probably a three", "PainScore score=3"),
    ]},
    "pain_choice": {"setup": ["open stride coach", "stretch my hamstrings", "@hold that hurts", "two"], "cases": [
        ("carry on", "Resume +plays"), ("keep going", "KeepGoingIntent +plays"), ("yes", "Yes +plays"),
        ("ease off", "EaseOff +plays"), ("make it easier", "EaseOff +plays"), ("easier please", "EaseOff +plays"),
        ("stop", "Stop +ends"), ("let's stop", "Stop +ends"), ("no", "No +ends"), ("continue", "Resume +plays"),
        ("go on", "Resume +plays"), ("gentler please", "EaseOff +plays"), ("i'm done for today", "Stop +ends"),
        ("yeah carry on", "Resume +plays"), ("let's carry on", "Resume +plays"), ("take it easy", "EaseOff +plays"),
        ("can we go easier", "EaseOff +plays"), ("ok", "Yes +plays"), ("that's enough", "Stop +ends"),
        ("an easier version", "EaseOff +plays"),
    ]},
    "pick_up": {"setup": ["open stride coach", "stretch my hip flexors", "@hold stop", "open stride coach"], "cases": [
        ("yes", "Yes +plays"), ("resume", "Resume +plays"), ("continue", "Resume +plays"),
        ("carry on", "Resume +plays"), ("pick up where i left off", "Resume +plays"), ("yes please", "Yes +plays"),
        ("yeah go on", "Yes +plays"), ("sure", "Yes +plays"), ("no", "No"), ("nah", "No"), ("no thanks", "No"),
        ("start over", "StartOver +plays"), ("from the beginning", "StartOver +plays"), ("stop", "Stop +ends"),
        ("not today", "No"), ("let's pick up from there", "Resume +plays"), ("again", "Repeat"),
        ("i'm not sure", "NotSure"), ("okay", "Yes +plays"), ("yep let's go", "Yes +plays"),
        ("check my back", "CheckMyBackIntent"), ("go on then", "Yes +plays"),
    ]},
    "forget_me": {"setup": ["open stride coach", "forget me"], "cases": [
        ("yes", "ForgetMeIntent confirmed +ends"), ("yes please", "ForgetMeIntent confirmed +ends"),
        ("yeah", "ForgetMeIntent confirmed +ends"), ("i'm sure", "ForgetMeIntent confirmed +ends"),
        ("no", "ForgetMeIntent denied"), ("no thanks", "ForgetMeIntent denied"), ("nope", "ForgetMeIntent denied"),
        ("nah keep it", "ForgetMeIntent denied"), ("cancel", "Cancel +ends"), ("stop", "Stop +ends"),
        ("wait what", "Repeat"), ("absolutely", "ForgetMeIntent confirmed +ends"), ("not really",
         "ForgetMeIntent denied"),
        ("sure", "ForgetMeIntent confirmed +ends"), ("i don't know", "NotSure"), ("go ahead",
         "ForgetMeIntent confirmed +ends"),
        ("definitely not", "ForgetMeIntent denied"), ("help", "Help"),
    ]},
    "muscle_choice": {"setup": ["open stride coach", "!StretchMuscleIntent muscle=calves"], "cases": [
        ("hamstrings", "StretchMuscleIntent muscle=hamstrings +plays"), ("my glutes",
         "StretchMuscleIntent muscle=glutes +plays"),
        ("the quads please", "StretchMuscleIntent muscle=quadriceps +plays"), ("hip flexors",
         "StretchMuscleIntent muscle=hip_flexors +plays"),
        ("hammies", "StretchMuscleIntent muscle=hamstrings +plays"), ("bum",
         "StretchMuscleIntent muscle=glutes +plays"),
        ("front of my hip", "StretchMuscleIntent muscle=hip_flexors +plays"), ("um quads",
         "StretchMuscleIntent muscle=quadriceps +plays"),
        ("let's do the hamstrings", "StretchMuscleIntent muscle=hamstrings +plays"), ("thighs",
         "StretchMuscleIntent muscle=quadriceps +plays"),
        ("hips", "StretchMuscleIntent muscle=hip_flexors +plays"), ("stop", "Stop +ends"),
        ("glutes i think", "StretchMuscleIntent muscle=glutes +plays"), ("back of my legs",
         "StretchMuscleIntent muscle=hamstrings +plays"),
        ("how about my hip flexors", "StretchMuscleIntent muscle=hip_flexors +plays"),
    ]},
}

BUILTIN = {"Yes", "No", "Stop", "Cancel", "Help", "Pause", "Resume", "Next", "Previous", "Repeat", "StartOver",
           "Fallback", "NavigateHome"}
SHORT = {"CheckLevel", "Pain", "PainScore", "EaseOff", "SetFeedback", "RepsDone", "WeightUsed", "TimeLeft",
         "WhatsNext", "WhichSide", "RepsLeft", "SessionLeft", "NotSure", "Skip"}


def intent_names(short: str) -> list[str]:
    """``"Resume|Yes"``: either intent is right (both resume a paused session)."""
    return [intent_name(name) for name in short.split("|")]


def intent_name(short: str) -> str:
    if short in BUILTIN:
        return f"AMAZON.{short}Intent"
    if short in SHORT:
        return f"{short}Intent"
    return short


def parse_expected(expected: str) -> dict:
    """``"CheckLevel level=free +plays"`` -> intent, slots, flags, confirmation."""
    words = expected.split()
    found: dict = {"intents": intent_names(words[0]), "slots": {}, "flags": set(), "confirmation": "NONE"}
    for word in words[1:]:
        if word.startswith("+"):
            found["flags"].add(word[1:])
        elif word in ("confirmed", "denied"):
            found["confirmation"] = word.upper()
        else:
            slot, _, value = word.partition("=")
            found["slots"][slot] = value
    return found


# Written after the templates were final and measured once, never tuned against: the honest
# estimate for sentences the project has not seen (docs/understanding.md reports both).
HELD_OUT: dict[str, dict] = {
    "menu": {"setup": ["open stride coach"], "cases": [
        ("my legs feel heavy after my run", "StartStretchIntent +plays"), ("can i do my hamstring stretches",
         "StretchMuscleIntent muscle=hamstrings +plays"), ("stretch out my glutes please",
         "StretchMuscleIntent muscle=glutes +plays"), ("i'd like to check my back", "CheckMyBackIntent"),
        ("let's work on my core", "StrengthRoutineIntent routine=core +plays"), ("quad stretch",
         "StretchMuscleIntent muscle=quadriceps +plays"), ("i have ten minutes",
         "StretchForMinutesIntent minutes=10 +plays"),
        ("give me a warm up", "WarmUpIntent +plays"), ("how many sessions have i done", "ProgressIntent"),
        ("delete my data", "ForgetMeIntent"), ("talk faster", "FasterIntent"), ("goodbye", "Stop +ends"),
    ]},
    "strength_choice": {"setup": ["open stride coach", "!StrengthRoutineIntent routine=yoga"], "cases": [
        ("the legs one", "StrengthRoutineIntent routine=legs +plays"), ("do core",
         "StrengthRoutineIntent routine=core +plays"),
        ("everything", "StrengthRoutineIntent routine=full_body +plays"), ("squat",
         "StrengthRoutineIntent routine=squats +plays"),
        ("uh lunges i guess", "StrengthRoutineIntent routine=lunges +plays"),
    ]},
    "safety": {"setup": ["open stride coach", "check my back"], "new_user": True, "cases": [
        ("no not at all", "No"), ("nope not me", "No"), ("yes i have", "Yes +ends"), ("no never", "No"),
        ("dunno", "NotSure +ends"),
    ]},
    "self_check": {"setup": ["open stride coach", "check my back", "*no"], "new_user": True, "cases": [
        ("quite stiff", "CheckLevel level=very_tight"), ("it was fine", "CheckLevel level=free"),
        ("a little bit tight", "CheckLevel level=bit_tight"), ("felt loose", "CheckLevel level=free"),
        ("really really tight", "CheckLevel level=very_tight"),
    ]},
    "hold": {"setup": ["open stride coach", "stretch my hamstrings"], "at": "@hold", "cases": [
        ("how long to go", "TimeLeft +plays"), ("how much time is left", "TimeLeft +plays"),
        ("what's after this", "WhatsNext +plays"), ("which leg now", "WhichSide +plays"), ("hold on", "Pause +paused"),
        ("ow that's sore", "Pain"), ("my hamstring hurts", "Pain"), ("next stretch", "Next +plays"),
    ]},
    "paused": {"setup": ["open stride coach", "stretch my hamstrings", "@hold pause"], "cases": [
        ("right carry on", "Resume +plays"), ("ok let's go", "Yes|Resume +plays"), ("continue the stretch",
         "Resume +plays"),
        ("i'm back", "Resume +plays"), ("restart", "StartOver +plays"),
    ]},
    "set": {"setup": ["open stride coach", "let's do legs"], "at": "@rep", "cases": [
        ("how many left", "RepsLeft +plays"), ("too heavy", "SetFeedback effort=hard"), ("that's easy",
         "SetFeedback effort=easy"),
        ("ouch my knee", "Pain"), ("hang on a minute", "Pause +paused"), ("which set am i on", "RepsLeft +plays"),
    ]},
    "after_set": {"setup": ["open stride coach", "let's do a full body session"], "cases": [
        ("that was tough", "SetFeedback effort=hard"), ("i did twelve", "RepsDone reps=12"),
        ("i used ten kilo dumbbells", "WeightUsed amount=10 unit=kg"), ("move on", "Next +plays"),
        ("about right", "SetFeedback effort=right"),
    ]},
    "pain_score": {"setup": ["open stride coach", "stretch my hamstrings", "@hold that hurts"], "cases": [
        ("around a five", "PainScore score=5"), ("nine", "PainScore score=9 +ends"), ("a bit", "PainScore score=2"),
        ("four or five", "PainScore score=5"), ("terrible", "PainScore score=8 +ends"), ("maybe two",
         "PainScore score=2"),
    ]},
    "pain_choice": {"setup": ["open stride coach", "stretch my hamstrings", "@hold that hurts", "two"], "cases": [
        ("i'll carry on", "Resume +plays"), ("let's ease off", "EaseOff +plays"), ("stop for today", "Stop +ends"),
        ("keep going gently", "Resume|KeepGoingIntent +plays"),
    ]},
    "pick_up": {"setup": ["open stride coach", "stretch my hip flexors", "@hold stop", "open stride coach"], "cases": [
        ("yeah let's pick up", "Resume|Yes +plays"), ("carry on please", "Resume +plays"), ("no start fresh", "No"),
        ("sure go on", "Yes +plays"),
    ]},
    "forget_me": {"setup": ["open stride coach", "forget me"], "cases": [
        ("yes delete it", "ForgetMeIntent confirmed +ends"), ("no don't", "ForgetMeIntent denied"),
        ("yep", "ForgetMeIntent confirmed +ends"), ("no way", "ForgetMeIntent denied"),
    ]},
    "muscle_choice": {"setup": ["open stride coach", "!StretchMuscleIntent muscle=calves"], "cases": [
        ("my hamstrings please", "StretchMuscleIntent muscle=hamstrings +plays"),
        ("butt", "StretchMuscleIntent muscle=glutes +plays"), ("quad", "StretchMuscleIntent muscle=quadriceps +plays"),
        ("the hip ones", "StretchMuscleIntent muscle=hip_flexors +plays"),
    ]},
}
