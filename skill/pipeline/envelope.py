"""A raw Alexa request envelope (a dict) in, ask-sdk-model objects out, or a clear refusal.

ask-sdk's ``DefaultSerializer.deserialize`` takes JSON text, so a Lambda event, already a dict,
had to be dumped and parsed again; it then resolves each model class by name with ``__import__``
and parses the timestamp with dateutil, on every request: most of what a bare ask-sdk skill
spends per request, and more for our envelopes, which carry a plan in their session attributes
(benchmarks/README.md has the figures). This reader follows the same model metadata
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


MAX_DEPTH = 64  # our deepest value, a plan in the session attributes, is about 10 levels deep
MAX_VALUES = 50_000  # a routine's envelope holds about 1,500
MAX_STRING = 64 * 1024
NEEDS_SESSION = ("LaunchRequest", "IntentRequest", "SessionEndedRequest")
# Request types Alexa sends outside any session: they get an empty (or directive-only) response.
SESSIONLESS_PREFIXES = ("AudioPlayer.", "PlaybackController.", "System.", "AlexaSkillEvent.",
                        "AlexaHouseholdListEvent.", "Messaging.", "Reminders.")


def is_sessionless(request_type: Any) -> bool:
    return isinstance(request_type, str) and request_type.startswith(SESSIONLESS_PREFIXES)


def _object(value: Any, where: str, when_missing: str | None = None) -> dict:
    """``value`` if it is a JSON object; else a BadRequest naming ``where`` (or ``when_missing``)."""
    if value is None and when_missing:
        raise BadRequest(when_missing)
    if not isinstance(value, dict):
        raise BadRequest(f"{where} must be an object, not {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return "null" if value is None else {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)


def check_shape(event: Any) -> None:
    """Refuse JSON too deep or too large to read safely, and text no genuine request holds.

    Walks the event without recursion: a 60,000-deep value would otherwise exhaust the stack of
    whatever reads it first. A NUL byte or a lone surrogate (JSON's ``"\\ud800"``) in any string
    cannot come from Alexa and cannot be spoken or stored as UTF-8. Every request gets a quick walk
    that only answers "plain JSON within bounds"; anything else is walked again by
    :func:`_explain_shape`, which decides and says where the problem is.
    """
    if not _plainly_fine(event):
        _explain_shape(event)


_NOT_FINITE = (float("inf"), float("-inf"))


def _plainly_fine(event: Any) -> bool:
    """True for JSON data (exact dict, list, str, number, bool, None) within every bound; False
    means "look closer", not "refuse"."""
    if type(event) is not dict:
        return False
    stack = [(event, 0)]
    seen = 1
    texts: list[str] = []
    keep_text = texts.append
    while stack:
        value, depth = stack.pop()
        if depth >= MAX_DEPTH:
            return False
        seen += len(value)
        if seen > MAX_VALUES:
            return False
        depth += 1
        children: Any = value
        if type(value) is dict:
            texts.extend(value)  # the keys
            children = value.values()
        for item in children:
            kind = type(item)
            if kind is str:
                keep_text(item)
            elif kind is dict or kind is list:
                stack.append((item, depth))
            elif kind is float:
                if item != item or item in _NOT_FINITE:
                    return False
            elif kind is not int and kind is not bool and item is not None:
                return False
    try:
        joined = "".join(texts)  # a key that is not a string fails here
    except TypeError:
        return False
    if "\x00" in joined or max(map(len, texts), default=0) > MAX_STRING:
        return False
    if not joined.isascii():
        try:
            joined.encode("utf-8")
        except UnicodeEncodeError:
            return False
    return True


def _explain_shape(event: Any) -> None:
    """The first thing :func:`_plainly_fine` would not vouch for that is wrong, as a BadRequest that
    says where it is (nothing, when the event is fine after all)."""
    stack: list[tuple[Any, int, tuple]] = [(event, 0, ())]
    seen = 0
    while stack:
        value, depth, path = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise BadRequest(f"the request holds more than {MAX_VALUES} values")
        if isinstance(value, dict):
            if depth >= MAX_DEPTH:
                raise BadRequest(f"{'.'.join(path)}: nested more than {MAX_DEPTH} levels deep")
            for key, item in value.items():
                if not isinstance(key, str):
                    raise BadRequest(f"{'.'.join(path) or 'the request'}: has a key that is not a string")
                _check_text(key, (*path, key[:40]))
                stack.append((item, depth + 1, (*path, key[:40])))
        elif isinstance(value, list):
            if depth >= MAX_DEPTH:
                raise BadRequest(f"{'.'.join(path)}: nested more than {MAX_DEPTH} levels deep")
            stack.extend((item, depth + 1, (*path, str(i))) for i, item in enumerate(value))
        elif isinstance(value, str):
            _check_text(value, path)
        elif isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise BadRequest(f"{'.'.join(path)}: {value!r} is not a JSON number")


def _check_text(text: str, path: tuple) -> None:
    if len(text) > MAX_STRING:
        raise BadRequest(f"{'.'.join(path)}: a string of {len(text)} characters is too long")
    if text.isascii():
        if "\x00" in text:
            raise BadRequest(f"{'.'.join(path)}: holds a NUL character")
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(f"{'.'.join(path)}: holds a lone surrogate, which is not text") from None
    if "\x00" in text:
        raise BadRequest(f"{'.'.join(path)}: holds a NUL character")


def check_envelope(event: Any, *, attributes_known: bool = False) -> None:
    """Refuse what is not a request the skill can route: no type, no user, an intent without a name.

    ``attributes_known``: the session attributes are exactly what the skill sent for this session
    (``skill.pipeline.sent_sessions``), so their shape is not walked again.
    """
    if not isinstance(event, dict):
        raise BadRequest("the request must be a JSON object")
    if attributes_known:
        check_shape({**event, "session": {k: v for k, v in event["session"].items() if k != "attributes"}})
    else:
        check_shape(event)
    no_type = "the request has no request.type"
    no_user = "the request has no context.System.user.userId"
    request = _object(event.get("request"), "request", no_type)
    kind = request.get("type")
    if not isinstance(kind, str) or not kind or len(kind) > 200:
        raise BadRequest(no_type)
    context = _object(event.get("context"), "context", no_user)
    system = _object(context.get("System"), "context.System", no_user)
    user = _object(system.get("user"), "context.System.user", no_user)
    if not isinstance(user.get("userId"), str) or not user["userId"]:
        raise BadRequest(no_user)
    person = system.get("person")
    if person is not None and not _is_person(person):
        # The person id keys a household member's data: nothing but Alexa's short id string will do.
        raise BadRequest(f"context.System.person.personId must be a string of 1 to {MAX_PERSON_ID} characters")
    if kind == "IntentRequest":
        intent = _object(request.get("intent"), "request.intent", "an IntentRequest needs request.intent.name")
        if not isinstance(intent.get("name"), str) or not intent["name"]:
            raise BadRequest("an IntentRequest needs request.intent.name")
        if intent.get("slots") is not None:
            _object(intent["slots"], "request.intent.slots")
    session = event.get("session")
    if session is not None:
        _object(session, "session")
    elif kind in NEEDS_SESSION:
        raise BadRequest(f"a {kind} needs a session")


MAX_PERSON_ID = 255  # Alexa's documented limit


def _is_person(person: Any) -> bool:
    person_id = person.get("personId") if isinstance(person, dict) else None
    return isinstance(person_id, str) and 0 < len(person_id) <= MAX_PERSON_ID


def read_envelope(event: Any, *, owned: bool = False, attributes_known: bool = False) -> RequestEnvelope:
    """``event`` as a ``RequestEnvelope`` whose session attributes the skill may change.

    They are a copy of the event's, unless ``owned``: the caller made ``event`` for this request
    alone and will not look at it again (Lambda's runtime and the web service parse each request's
    JSON afresh), so the skill may change the event's own attributes and a copy would be wasted.
    ``attributes_known``: see :func:`check_envelope`.
    """
    check_envelope(event, attributes_known=attributes_known)
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

    marshal copies a plan several times faster than ``copy.deepcopy`` or a JSON round trip
    (benchmarks/README.md); anything marshal cannot copy (not JSON data) falls back to ``copy.deepcopy``.
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
        discriminator = getattr(base, "json_discriminator_key", "type")
        if not isinstance(value.get(discriminator), (str, type(None))):
            raise _Unreadable(f"{discriminator!r} must be a string")
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
