"""Whose data a request reads and writes: the speaking person's when Alexa recognised the voice, else the account's.

With voice profiles on, Alexa puts ``context.System.person.personId`` in the requests of a
recognised speaker; ``context.System.user.userId`` is always the account that enabled the skill,
whoever speaks. Every store keeps a user's sections under one *owner key*:

* no person: the user id itself, exactly the key stores used before people were told apart, so a
  household's existing data stays with the account (the shared profile);
* a person: ``<user id>#person#<person id>``, so each recognised member of the household has
  their own progress, preferences, history and plugin data, and "forget me" deletes only theirs.

``%`` and ``#`` inside either id are percent-encoded, so no user id can be made to look like
another account's person. Alexa's ids (``amzn1.ask.account.…``, ``amzn1.ask.person.…``) contain
neither, so their keys read as they are.
"""

from __future__ import annotations

from typing import Any

PERSON_SEPARATOR = "#person#"


def _escaped(identifier: str) -> str:
    return identifier.replace("%", "%25").replace("#", "%23")


def owner_key(user_id: str, person_id: str | None = None) -> str:
    """The store key of ``person_id`` in account ``user_id``, or of the account's shared profile."""
    if not user_id:
        raise ValueError("the request has no context.System.user.userId to store attributes under")
    key = _escaped(user_id)
    return f"{key}{PERSON_SEPARATOR}{_escaped(person_id)}" if person_id else key


def _system(request_envelope: Any) -> tuple[str | None, str | None]:
    """(user id, person id) of an ask-sdk ``RequestEnvelope`` or a raw request dict."""
    if isinstance(request_envelope, dict):
        system = (request_envelope.get("context") or {}).get("System") or {}
        user = (system.get("user") or {}).get("userId")
        person = (system.get("person") or {}).get("personId")
    else:
        system = getattr(getattr(request_envelope, "context", None), "system", None)
        user = getattr(getattr(system, "user", None), "user_id", None)
        person = getattr(getattr(system, "person", None), "person_id", None)
    return (user if isinstance(user, str) else None), (person if isinstance(person, str) and person else None)


def person_id_of(request_envelope: Any) -> str | None:
    """The recognised speaker's ``personId``, or None when Alexa did not recognise the voice."""
    return _system(request_envelope)[1]


def owner_key_of(request_envelope: Any) -> str:
    """The key a store keeps this request's data under (see the module's docstring)."""
    user_id, person_id = _system(request_envelope)
    return owner_key(user_id or "", person_id)


def account_envelope(request_envelope: Any) -> dict:
    """A minimal envelope for the *account* of ``request_envelope``: its shared profile, whoever speaks."""
    user_id = _system(request_envelope)[0]
    return {"context": {"System": {"user": {"userId": user_id}}}}


def person_envelope(user_id: str, person_id: str | None) -> dict:
    """A minimal envelope for one owner, as tools and tests address a store."""
    system: dict[str, Any] = {"user": {"userId": user_id}}
    if person_id:
        system["person"] = {"personId": person_id}
    return {"context": {"System": system}}
