"""Screens: what an Echo Show (and the browser coach) shows beside the speech.

The core builds every screen from the player and the reply (:mod:`.payload`, :mod:`.timeline`);
the documents are JSON files validated at start-up (:mod:`.documents`); :mod:`.directives` adds
them to responses for devices with a screen; :mod:`.events` maps touch buttons to intents.
"""

from skill.screen.directives import attach_screen, screen_directives, supports_screen
from skill.screen.documents import APL_VERSION, ScreenDocumentError, load_documents
from skill.screen.events import USER_EVENT, intent_for_event
from skill.screen.payload import screen_payload

__all__ = [
           "APL_VERSION",
           "USER_EVENT",
           "ScreenDocumentError",
           "attach_screen",
           "intent_for_event",
           "load_documents",
           "screen_directives",
           "screen_payload",
           "supports_screen",
]
