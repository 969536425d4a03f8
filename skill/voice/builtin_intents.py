"""Alexa's built-in intents the core answers: the phrases Alexa knows for each, and the ones we add.

``BUILTIN_PHRASES`` are what a device maps to each built-in intent without any sample in the model
(the local NLU hears them too); ``EXTRA_TEMPLATES`` are templates (see :mod:`skill.voice.templates`)
expanded into samples we add to the model, as Alexa allows, for the everyday ways people say them.
"""

from skill.voice.templates import expand_all

BUILTIN_PHRASES: dict[str, list[str]] = {
    "AMAZON.YesIntent": ["yes", "yeah", "yep", "sure", "ok", "okay", "yes please", "sounds good", "let's do it",
                         "go ahead"],
    "AMAZON.NoIntent": ["no", "nope", "no thanks", "not now", "no thank you"],
    "AMAZON.NextIntent": ["next", "next one", "move on", "next exercise"],
    "AMAZON.PreviousIntent": ["go back", "previous", "back", "previous one", "last one"],
    "AMAZON.RepeatIntent": ["repeat", "say that again", "again", "repeat that", "one more time"],
    "AMAZON.StartOverIntent": ["start over", "restart", "start again", "from the top"],
    "AMAZON.PauseIntent": ["pause", "hold on", "wait", "wait a second"],
    "AMAZON.ResumeIntent": ["resume", "continue", "carry on", "unpause"],
    "AMAZON.HelpIntent": ["help", "help me", "what can i say", "can you help me"],
    "AMAZON.StopIntent": ["stop", "quit", "exit", "enough", "that's enough"],
    "AMAZON.CancelIntent": ["cancel", "never mind", "forget it"],
    "AMAZON.NavigateHomeIntent": ["go home", "main menu", "home"],
    "AMAZON.FallbackIntent": [],
}

EXTRA_TEMPLATES: dict[str, list[str]] = {
    "AMAZON.YesIntent": [
        "(yes|yeah|yep|yup|sure|okay|ok) [(please|go on|let's go|go for it|why not|i am|i do|i'm sure)]",
        "(yeah|yes) (definitely|absolutely|of course)", "(definitely|absolutely|of course|for sure)",
        "go (on|for it) then", "let's (go|do that|do this)", "i'm (ready|sure)", "ready",
        "correct", "(please|please do)", "do it", "alright", "all right",
    ],
    "AMAZON.NoIntent": [
        "(nah|nope|no way|not really|not at all|not today|not right now|no thanks|no thank you) [thanks]",
        "(no|nah) i'm (good|fine|okay|ok)", "i'm (good|fine|okay|ok) thanks", "(i don't|i do not) think so",
        "(no|nah) (i don't|i do not)", "(don't|do not) (bother|worry)", "(i'd|id) rather not", "no no",
        "(no|nah) (it's|its) fine", "no i haven't", "none", "nothing like that", "no nothing",
    ],
    "AMAZON.NextIntent": ["(next|the next) (one|stretch|exercise|set|move) [please]", "(move|moving) on [please]",
                          "what's next please", "(on|onto) the next one", "i'm done with this one"],
    "AMAZON.PreviousIntent": ["(go back|back up) [one|to the last one|a step] [please]",
    "(the|that) last (one|stretch|exercise)",
                              "(the|go to the) previous (one|stretch|exercise)"],
    "AMAZON.RepeatIntent": ["(repeat|say) (that|it|the question) [again] [please]", "(pardon|sorry|what|come again)",
                            "(can|could) you (repeat|say) (that|it) [again]", "what did you say",
                            "(i|i didn't) (missed|catch) that",
                            "one more time please", "again please"],
    "AMAZON.StartOverIntent": ["(start|begin) (from the beginning|from the start|from scratch|all over again)",
                               "from the (beginning|start)", "take me back to the beginning",
                               "let's start over", "start the whole thing again"],
    "AMAZON.PauseIntent": [
        "(hang|hold) on [a (sec|second|minute|moment)]", "wait a (sec|minute|moment|bit)", "wait wait",
        "give me a (sec|second|minute|moment)", "(just a|one) (sec|second|minute|moment)", "pause (it|that|please)",
        "(take|i need) a (break|breather)", "hold (it|up|that)", "(stop|pause) the timer", "time out", "hang about",
    ],
    "AMAZON.ResumeIntent": [
        "(go on|carry on|continue|resume) [please]", "i'm back [now]", "(ok|okay) i'm back", "i'm ready again",
        "let's (carry on|continue|go on)", "(pick|start) (up|it up) (again|where (we|i) left off)",
        "pick up where (we|i) left off", "pick up (there|from there)", "let's pick up (there|from there)",
        "(unpause|restart the timer|start the timer again)", "back to it",
        "(continue|resume) (the|my) (session|stretch|stretches|workout)",
    ],
    "AMAZON.HelpIntent": ["what can (you|i) do", "how does (this|it) work", "what (are|were) my options",
                          "i'm (confused|lost|stuck)", "what (do i|should i|can i) say [now]", "i need help",
                          "what are the options", "help (please|me out)"],
    "AMAZON.StopIntent": ["(bye|goodbye|bye bye|see you|see ya|later|cheers)", "i'm (done|finished) for (today|now)",
                          "that's (it|all) for (today|now)", "(stop|end) (the|this) (session|workout|skill)",
                          "(shut up|be quiet)", "no more", "i'm off", "let's stop", "stop (please|now)"],
    "AMAZON.CancelIntent": ["(cancel|forget) (that|it|this)", "(never|nevermind) mind that", "cancel please"],
    "AMAZON.NavigateHomeIntent": ["(go|take me) (home|back to the (menu|main menu))",
    "(the|back to the) (main menu|menu)",
                                  "start page"],
    "AMAZON.FallbackIntent": [],
}

# The samples we add to built-in intents in the interaction model (the expanded templates).
EXTRA_SAMPLES: dict[str, list[str]] = {name: expand_all(templates).samples
                                       for name, templates in EXTRA_TEMPLATES.items() if templates}
