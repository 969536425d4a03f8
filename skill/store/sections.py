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


def merge_change(read: str | None, new: str | None, current: str | None) -> str | None:
    """This request's change of one section (``read`` to ``new``) applied to what the store holds
    now (``current``), which another request may have changed meanwhile.

    Unchanged since the read: ``new`` as it is. Otherwise objects are merged key by key, recursively
    (one device's preference change and another's survive together, and so do two plugins' data),
    a list this request only appended to gets the appended items after the current list (two
    sessions recorded at once are both kept), and anything else is this request's value.
    """
    if current == read or new is None:
        return new
    if current is None:  # removed meanwhile (a "forget me", a finished plan): the removal stands
        return None if read is not None else new
    merged = _merge(decode(read) if read is not None else None, decode(new), decode(current))
    return encode(merged)


def _merge(read: Any, new: Any, current: Any) -> Any:
    if isinstance(new, dict) and isinstance(current, dict):
        base = read if isinstance(read, dict) else {}
        out = dict(current)
        for key in base.keys() - new.keys():
            out.pop(key, None)
        for key, value in new.items():
            if key not in base or base[key] != value:
                out[key] = _merge(base.get(key), value, current[key]) if key in current else value
        return out
    if isinstance(new, list) and isinstance(current, list) and isinstance(read, list) and new[:len(read)] == read:
        return current + new[len(read):]
    return new
