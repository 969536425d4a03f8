"""A raw Alexa request envelope (a dict) in, ask-sdk-model objects out, or a clear refusal.

ask-sdk's ``DefaultSerializer.deserialize`` takes JSON text, so a Lambda event, already a dict,
had to be dumped and parsed again; it then resolves each model class by name with ``__import__``
and parses the timestamp with dateutil, on every request. Together that was about 130 us of the
180 us a bare ask-sdk skill takes per request, and twice that for our envelopes, which carry a
plan in their session attributes. This reader follows the same model metadata
(``deserialized_types``, ``attribute_map``, the discriminators of polymorphic types), compiled
once per type, and reads timestamps with ``datetime.fromisoformat``. It builds the same objects
as ``DefaultSerializer`` (tests/test_envelope_reader.py compares them for every request the tests
send), with two differences on purpose:

* a request type the installed ask-sdk-model does not know (Alexa adds new ones) becomes the base
  ``Request`` with its ``object_type``, which the skill answers with an empty response, instead
  of an exception that failed the whole request;
* a value of the wrong shape is a :class:`BadRequest` naming where it is, e.g.
  ``request.timestamp: 'soon' is not a date and time``.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from importlib import import_module
from typing import Any

from ask_sdk_model import RequestEnvelope

Reader = Callable[[Any], Any]


class BadRequest(ValueError):
    """The input is not an Alexa request envelope the skill can answer."""


class _Unreadable(Exception):
    """A value of the wrong shape; ``path`` grows as the error travels out of nested models."""

    def __init__(self, reason: str, path: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.reason, self.path = reason, path


def check_envelope(event: Any) -> None:
    """Refuse what is not a request the skill can route: no type, no user, an intent without a name."""
    if not isinstance(event, dict):
        raise BadRequest("the request must be a JSON object")
    request = event.get("request")
    if not isinstance(request, dict) or not isinstance(request.get("type"), str):
        raise BadRequest("the request has no request.type")
    system = (event.get("context") or {}).get("System") or {}
    user = system.get("user") or {}
    if not isinstance(user.get("userId"), str) or not user["userId"]:
        raise BadRequest("the request has no context.System.user.userId")
    person = system.get("person")
    if person is not None and not _is_person(person):
        # The person id keys a household member's data: nothing but Alexa's short id string will do.
        raise BadRequest(f"context.System.person.personId must be a string of 1 to {MAX_PERSON_ID} characters")
    if request["type"] == "IntentRequest" and not isinstance((request.get("intent") or {}).get("name"), str):
        raise BadRequest("an IntentRequest needs request.intent.name")


MAX_PERSON_ID = 255  # Alexa's documented limit


def _is_person(person: Any) -> bool:
    person_id = person.get("personId") if isinstance(person, dict) else None
    return isinstance(person_id, str) and 0 < len(person_id) <= MAX_PERSON_ID


def read_envelope(event: Any, *, owned: bool = False) -> RequestEnvelope:
    """``event`` as a ``RequestEnvelope`` whose session attributes the skill may change.

    They are a copy of the event's, unless ``owned``: the caller made ``event`` for this request
    alone and will not look at it again (Lambda's runtime and the web service parse each request's
    JSON afresh), so the skill may change the event's own attributes and a copy would be wasted.
    """
    check_envelope(event)
    try:
        envelope = _reader("ask_sdk_model.request_envelope.RequestEnvelope")(event)
    except _Unreadable as error:
        where = ".".join(error.path)
        raise BadRequest(f"{where}: {error.reason}" if where else error.reason) from None
    session = envelope.session
    if session is not None and session.attributes is not None and not owned:
        session.attributes = copy_json(session.attributes)
    return envelope


def copy_json(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, strings, numbers, booleans, None).

    marshal copies a 5 KB plan in about 20 us, where ``copy.deepcopy`` takes 90 and a JSON round
    trip 70; anything marshal cannot copy (not JSON data) falls back to ``copy.deepcopy``.
    """
    try:
        return marshal.loads(marshal.dumps(value))
    except ValueError:
        import copy

        return copy.deepcopy(value)


# -- readers, compiled once per type name ----------------------------------------------------------
_READERS: dict[Any, Reader] = {}
_CLASSES: dict[str, type] = {}


def _reader(spec: Any) -> Reader:
    reader = _READERS.get(spec)
    if reader is None:
        reader = _READERS[spec] = _compile(spec)
    return reader


def _compile(spec: Any) -> Reader:
    if isinstance(spec, str):
        if spec.startswith("list["):
            inner = spec[5:-1]
            if "," in inner:  # a fixed list of mixed types, as ask-sdk reads it: item i as type i
                item_readers = [_reader(s.strip()) for s in inner.split(",")]
                return lambda value: None if value is None else [r(v) for v, r in zip(_as(list, value), item_readers)]
            item = _reader(inner.strip())
            return lambda value: None if value is None else [v for _, v in _each(item, enumerate(_as(list, value)))]
        if spec.startswith("dict("):
            inner = spec[5:-1].split(",", 1)[1].strip()
            if inner == "object":
                return lambda value: None if value is None else dict(_as(dict, value))
            item = _reader(inner)
            return lambda value: None if value is None else dict(_each(item, _as(dict, value).items()))
        native = _NATIVE.get(spec)
        if native is not None:
            return native
        return _model_reader(_load_class(spec))
    return _model_reader(spec)


def _each(item: Reader, pairs: Any) -> list[tuple[Any, Any]]:
    """``item`` applied to each value of (key, value) pairs; an error names the key or index."""
    out = []
    for key, value in pairs:
        try:
            out.append((key, item(value)))
        except _Unreadable as error:
            raise _Unreadable(error.reason, (str(key), *error.path)) from None
    return out


def _as(kind: type, value: Any) -> Any:
    if not isinstance(value, kind):
        raise _Unreadable(f"expected {'an object' if kind is dict else 'a list'}, got {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _primitive(kind: type) -> Reader:
    def read(value: Any) -> Any:
        if value is None:
            return None
        try:
            return kind(value)
        except TypeError:  # as ask-sdk: a value that cannot be cast is kept as it came
            return value
        except ValueError:
            raise _Unreadable(f"{_shown(value)} is not a {kind.__name__}") from None
    return read


def _read_datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
        except ValueError:
            pass
        try:  # whatever else ask-sdk accepted (it used dateutil)
            from dateutil.parser import parse

            return parse(value)
        except (ImportError, ValueError, OverflowError):
            pass
    raise _Unreadable(f"{_shown(value)} is not a date and time")


def _read_date(value: Any) -> date | None:
    parsed = _read_datetime(value)
    return None if parsed is None else parsed.date()


_NATIVE: dict[str, Reader] = {
    "str": _primitive(str), "int": _primitive(int), "long": _primitive(int), "float": _primitive(float),
    "bool": _primitive(bool), "object": lambda value: value, "datetime": _read_datetime, "date": _read_date,
}


def _load_class(name: str) -> type:
    cls = _CLASSES.get(name)
    if cls is None:
        module, _, attribute = name.rpartition(".")
        cls = _CLASSES[name] = getattr(import_module(module), attribute)
    return cls


def _model_reader(cls: type) -> Reader:
    if issubclass(cls, Enum):
        def read_enum(value: Any) -> Any:
            if value is None:
                return None
            try:
                return cls(value)
            except ValueError:
                raise _Unreadable(f"{_shown(value)} is not one of {', '.join(repr(m.value) for m in cls)}") from None
        return read_enum
    if not hasattr(cls, "deserialized_types"):
        return lambda value: value
    if hasattr(cls, "get_real_child_model"):
        return _polymorphic_reader(cls)
    return _fields_reader(cls)


def _polymorphic_reader(base: type[Any]) -> Reader:
    """A type whose JSON names its subclass (``"type": "IntentRequest"``); unknown names read as ``base``."""
    readers: dict[str | None, Reader] = {}

    def read(value: Any) -> Any:
        if value is None:
            return None
        _as(dict, value)
        try:
            name = base.get_real_child_model(value)
        except KeyError:
            raise _Unreadable(f"has no {base.json_discriminator_key!r}") from None
        reader = readers.get(name)
        if reader is None:
            reader = readers[name] = _fields_reader(_load_class(name) if name else base)
        return reader(value)
    return read


def _fields_reader(cls: type[Any]) -> Reader:
    attribute_map = {name: getattr(cls, "attribute_map", {}).get(name, name) for name in cls.deserialized_types}
    known_keys = set(attribute_map.values())
    # Field readers are looked up on first use: model types refer to each other (and to themselves).
    fields = [(name, key, cls.deserialized_types[name]) for name, key in attribute_map.items()]

    def read(value: Any) -> Any:
        if value is None:
            return None
        _as(dict, value)
        model = cls()
        for name, key, spec in fields:
            if key in value:
                try:
                    setattr(model, name, _reader(spec)(value[key]))
                except _Unreadable as error:
                    raise _Unreadable(error.reason, (key, *error.path)) from None
        for key in value.keys() - known_keys:  # as ask-sdk: keys the model does not know are kept
            setattr(model, key, value[key])
        return model
    return read
