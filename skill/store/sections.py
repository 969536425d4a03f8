"""What every store shares: the partition key (the Alexa user id) and how attributes are kept.

A user's attributes are stored by *section*, one per top-level key (``prefs``, ``history``,
``paused``, ``plugins``...), each as its own JSON text. A request decodes only the sections it
uses and writes back only those whose encoding changed: during a routine that is the small resume
point, not the history, which grows to hundreds of entries. Encoding and decoding the whole
document on every request had become the largest cost of a warm request.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from typing import Any

# The texts of a user's sections, by section name, as a store read them.
Sections = dict[str, str]
# What a request changed: the new text of a section, or None for a section that is gone.
Changes = dict[str, "str | None"]


def encode(value: Any) -> str:
    """Compact JSON: values come back exactly as saved (no Decimal, 1.0 stays 1.0)."""
    return json.dumps(value, separators=(",", ":"))


def decode(text: str) -> Any:
    return json.loads(text)


def encode_sections(attributes: dict) -> Sections:
    return {name: encode(value) for name, value in attributes.items()}


def decode_sections(sections: Sections) -> dict:
    return {name: decode(text) for name, text in sections.items()}


def changes_between(read: Sections, now: Sections) -> Changes:
    """The sections whose text differs from what was read, and ``None`` for those removed."""
    changes: Changes = {name: text for name, text in now.items() if read.get(name) != text}
    changes.update({name: None for name in read if name not in now})
    return changes


def user_id_of(request_envelope: Any) -> str:
    """The user id from an ask-sdk ``RequestEnvelope`` or a raw request dict."""
    if isinstance(request_envelope, dict):
        user_id = request_envelope.get("context", {}).get("System", {}).get("user", {}).get("userId")
    else:
        system = getattr(getattr(request_envelope, "context", None), "system", None)
        user_id = getattr(getattr(system, "user", None), "user_id", None)
    if not user_id:
        raise ValueError("the request has no context.System.user.userId to store attributes under")
    return user_id


class SectionedStore:
    """Mixin for our store adapters: sections in and out, with ask-sdk's whole-document contract on top.

    An adapter implements :meth:`read_sections`, :meth:`write_sections` and ``delete_attributes``.
    The conversation reads sections and writes only the changed ones; ``get_attributes`` and
    ``save_attributes`` (ask-sdk's interface, which tests and tools use) work on whole documents.
    """

    @abstractmethod
    def read_sections(self, request_envelope: Any) -> Sections:
        """Every stored section of the envelope's user (empty for a user with nothing stored)."""

    @abstractmethod
    def write_sections(self, request_envelope: Any, changes: Changes, read: Sections) -> None:
        """Store ``changes`` (``None`` deletes a section) in one write; ``read`` is what the
        request read, so a store that writes whole items can keep the unchanged sections."""

    def get_attributes(self, request_envelope: Any) -> dict:
        return decode_sections(self.read_sections(request_envelope))

    def save_attributes(self, request_envelope: Any, attributes: dict) -> None:
        """Replace the user's whole document with ``attributes``."""
        read = self.read_sections(request_envelope)
        changes = changes_between(read, encode_sections(attributes))
        if changes:
            self.write_sections(request_envelope, changes, read)
