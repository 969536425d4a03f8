"""Alexa's built-in intents the core answers, and the phrases a device maps to each.

The phrases are what ``stride-coach chat`` understands for them (Alexa knows them without
sample utterances); ``extra_samples`` are the ones we add to the model, as Alexa allows.
"""

BUILTIN_PHRASES: dict[str, list[str]] = {
    "AMAZON.YesIntent": ["yes", "yeah", "yep", "sure", "ok", "okay", "yes please", "sounds good", "let's do it",
                         "go ahead"],
    "AMAZON.NoIntent": ["no", "nope", "no thanks", "not now", "no thank you"],
    "AMAZON.NextIntent": ["next", "next one", "move on", "go on", "next exercise"],
    "AMAZON.PreviousIntent": ["go back", "previous", "back", "previous one", "last one"],
    "AMAZON.RepeatIntent": ["repeat", "say that again", "again", "repeat that", "one more time"],
    "AMAZON.StartOverIntent": ["start over", "restart", "start again", "from the top"],
    "AMAZON.PauseIntent": ["pause", "hold on", "wait", "wait a second"],
    "AMAZON.ResumeIntent": ["resume", "continue", "carry on", "unpause"],
    "AMAZON.HelpIntent": ["help", "help me", "what can i say"],
    "AMAZON.StopIntent": ["stop", "quit", "exit", "enough", "that's enough"],
    "AMAZON.CancelIntent": ["cancel", "never mind", "forget it"],
    "AMAZON.NavigateHomeIntent": ["go home", "main menu", "home"],
    "AMAZON.FallbackIntent": [],
}

# Samples we add to built-in intents in the interaction model.
EXTRA_SAMPLES: dict[str, list[str]] = {
    "AMAZON.HelpIntent": ["what can you do", "what can i do", "how does this work"],
}
