"""Stride Coach: the skill core (Alexa, time, speech, persistence) and the plugin API.

Plugin authors need only this module::

    from skill import hookimpl, Reply, Offer, Speech
"""

from .plugins import hookimpl
from .reply import Offer, Reply
from .speech import Speech

__version__ = "0.1.0"
__all__ = ["hookimpl", "Offer", "Reply", "Speech", "__version__"]
