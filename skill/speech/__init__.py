"""Speech and SSML: the sentence builder plugins use, and the renderer that keeps Alexa's limits."""

from skill.speech.builder import Speech

__all__ = ["Speech"]
