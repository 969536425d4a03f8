"""Stride Coach: the skill core (Alexa, time, speech, persistence) and the plugin API.

Plugin authors need only this module::

    from skill import hookimpl, Reply, Offer, Speech
"""

from skill.host.host import hookimpl
from skill.api.reply import Offer, Reply
from skill.speech.builder import Speech

__version__ = "0.1.0"
__all__ = ["hookimpl", "Offer", "Reply", "Speech", "__version__"]
