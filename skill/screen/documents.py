"""The APL documents of the Echo Show screens: JSON files in ``documents/``, checked when the skill starts.

Each screen is one file (``menu``, ``coach``, ``paused``, ``summary``); ``common.json`` holds what
they share (resources for small, large and round viewports, styles, the screen frame and the
button row) and is merged into each, so every document sent to a device stands alone. A document
must:

* have the required fields of an APL document (``type``, ``version``, a ``mainTemplate`` taking
  ``payload`` with at least one item) and declare the pinned APL version, :data:`APL_VERSION`;
* use only components that version has (or layouts it defines itself);
* send only ``["control", <action>]`` events, the ones :mod:`skill.screen.events` handles;
* bind only payload fields the screen's data builder provides (:data:`PAYLOAD_FIELDS`).

A document that breaks any of these stops the skill from starting (:class:`ScreenDocumentError`)
rather than reaching a device and failing there.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

APL_VERSION = "1.8"
DOCUMENTS_DIR = Path(__file__).with_name("documents")
TOP_LEVEL = {"type", "version", "theme", "description", "resources", "styles", "layouts", "mainTemplate", "onMount"}
SCREENS = ("menu", "coach", "paused", "summary")
# Components of APL 1.8 these documents may use.
COMPONENTS = {"Container", "Text", "Frame", "TouchWrapper", "Image", "ScrollView", "Sequence", "Pager"}
PARAMETER_TYPES = {"any", "array", "boolean", "color", "component", "componentArray", "dimension", "integer",
                   "map", "number", "object", "string"}
BUTTON = {"label", "action"}
FRAME = {"t0", "t1", "name", "side", "exercise", "progress", "cue", "next", "timed", "from", "big",
         "s0", "l0", "s1", "l1", "s2", "l2"}
# What each screen's payload holds; the data builder (skill.screen.payload) fills exactly these.
PAYLOAD_FIELDS: dict[str, set[str]] = {
    "menu": {"kind", "title", "headline", "items", "buttons"},
    "coach": {"kind", "title", "frames", "buttons", "seconds"},
    "paused": {"kind", "title", "name", "side", "progress", "big", "cue", "buttons"},
    "summary": {"kind", "title", "headline", "lines", "hint", "buttons"},
}
# Fields of the items of payload arrays, as documents bind them (``${data.x}``, ``${frame.x}``).
ITEM_FIELDS: dict[str, set[str]] = {"items": {"title", "example"}, "buttons": BUTTON, "frames": FRAME, "lines": set()}
_BINDING = re.compile(r"\b(payload|data|frame)\.([A-Za-z_]\w*)")


class ScreenDocumentError(Exception):
    """An APL document in the project is not one the skill may send (the message says which and why)."""


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


@lru_cache(maxsize=1)
def load_documents() -> dict[str, dict]:
    """Every screen's document, merged with the shared parts and validated (loaded once)."""
    loaded, problems = _checked()
    if problems:
        raise ScreenDocumentError("; ".join(problems))
    return loaded


def screen_problems() -> list[str]:
    """Every problem of every document, as ``file: reason`` lines (``stride-coach validate``)."""
    try:
        return _checked()[1]
    except ScreenDocumentError as exc:
        return [str(exc)]


def _checked() -> tuple[dict[str, dict], list[str]]:
    common = _read(DOCUMENTS_DIR / "common.json")
    loaded, problems = {}, []
    for screen in SCREENS:
        document = merge(common, _read(DOCUMENTS_DIR / f"{screen}.json"))
        where = f"skill/screen/documents/{screen}.json"
        problems += [f"{where}: {problem}" for problem in document_problems(screen, document)]
        loaded[screen] = document
    return loaded, problems


def _read(path: Path) -> dict:
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ScreenDocumentError(f"{path.name}: cannot be read as JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise ScreenDocumentError(f"{path.name}: must hold a JSON object")
    return document


def merge(common: dict, own: dict) -> dict:
    """``common`` with ``own`` on top; layouts and styles are merged by name, the rest replaced."""
    document = copy.deepcopy(common)
    for key, value in own.items():
        if key in ("layouts", "styles") and isinstance(value, dict):
            document.setdefault(key, {}).update(copy.deepcopy(value))
        else:
            document[key] = copy.deepcopy(value)
    return document


def document_problems(screen: str, document: dict) -> list[str]:
    """Every reason ``document`` may not be sent as the ``screen`` screen (empty when it may)."""
    problems = _required_fields(document)
    if problems:
        return problems
    if document["version"] != APL_VERSION:
        problems.append(f"declares APL {document['version']}, but the skill is pinned to APL {APL_VERSION}")
    layouts = set(document.get("layouts", {}))
    for component in _components(document):
        kind = component["type"]
        if kind not in COMPONENTS and kind not in layouts:
            problems.append(f"component type {kind!r} is neither in APL {APL_VERSION} nor a layout of the document")
        for command in component.get("onPress", []):
            if command.get("type") != "SendEvent" or (command.get("arguments") or [None])[0] != "control":
                problems.append(f"{kind} sends {command.get('arguments')!r}; only [\"control\", action] is handled")
    problems += _binding_problems(screen, document)
    return problems


def _required_fields(document: dict) -> list[str]:
    """What an APL document must have, and nothing this project does not use."""
    problems = [f"unexpected top-level field {key!r}" for key in document if key not in TOP_LEVEL]
    if document.get("type") != "APL":
        problems.append(f"type must be 'APL', not {document.get('type')!r}")
    if not isinstance(document.get("version"), str):
        problems.append("version is required, as a string such as '1.8'")
    main = document.get("mainTemplate")
    if not isinstance(main, dict):
        return [*problems, "mainTemplate is required"]
    if main.get("parameters") != ["payload"]:
        problems.append(f"mainTemplate.parameters must be ['payload'], not {main.get('parameters')!r}")
    templates = {"mainTemplate": main, **{f"layouts.{name}": layout
                                          for name, layout in (document.get("layouts") or {}).items()}}
    for where, template in templates.items():
        items = template.get("items") if isinstance(template, dict) else None
        if not isinstance(items, list) or not items:
            problems.append(f"{where}.items must be a list of at least one component")
        for parameter in (template.get("parameters") or []) if isinstance(template, dict) else []:
            if not _parameter_ok(parameter):
                problems.append(f"{where}: parameter {parameter!r} needs a name and an APL parameter type")
    for name, style in (document.get("styles") or {}).items():
        if not isinstance(style, dict) or not isinstance(style.get("values"), list):
            problems.append(f"styles.{name} needs a list of values")
    for component in _components(main):
        if not isinstance(component.get("type"), str):
            problems.append("every component needs a type")
    return problems


def _parameter_ok(parameter: Any) -> bool:
    if isinstance(parameter, str):
        return True
    return isinstance(parameter, dict) and isinstance(parameter.get("name"), str) \
        and parameter.get("type", "any") in PARAMETER_TYPES


def _components(node: Any) -> Iterator[dict]:
    if isinstance(node, dict):
        if isinstance(node.get("type"), str) and node["type"] not in ("APL", "SendEvent"):
            yield node
        for key, value in node.items():
            if key != "parameters":  # typed parameters have a "type" too, and are not components
                yield from _components(value)
    elif isinstance(node, list):
        for value in node:
            yield from _components(value)


def bindings(document: dict) -> set[tuple[str, str]]:
    """Every ``(root, field)`` a document binds: ``("payload", "title")``, ``("data", "label")``."""
    return set(_BINDING.findall(json.dumps(document)))


def _binding_problems(screen: str, document: dict) -> list[str]:
    allowed_items = set().union(*(ITEM_FIELDS[name] for name in PAYLOAD_FIELDS[screen] if name in ITEM_FIELDS))
    problems = []
    for root, name in sorted(bindings(document)):
        if root == "payload" and name not in PAYLOAD_FIELDS[screen]:
            problems.append(f"binds payload.{name}, which the {screen} screen's data does not have")
        elif root != "payload" and name not in allowed_items:
            problems.append(f"binds {root}.{name}, which no item of the {screen} screen's data has")
    return problems
