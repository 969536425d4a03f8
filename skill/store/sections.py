"""The sections codec: how a user's attributes are kept as JSON texts, one per section.

A user's attributes are stored by *section*, one per top-level key (``prefs``, ``history``,
``paused``, ``plugins``...), each as its own JSON text. A request decodes only the sections it
uses and writes back only those whose encoding changed: during a routine that is the small resume
point, not the history, which grows to hundreds of entries. Encoding and decoding the whole
document on every request had become the largest cost of a warm request.
"""

from __future__ import annotations

import json
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
