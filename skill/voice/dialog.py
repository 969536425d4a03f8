"""Dialog directives the core adds to a response: ask for one slot, or confirm one intent.

A plugin's :class:`~skill.api.reply.Reply` names what it is asking for (``elicit=
"PainScoreIntent.score"`` or ``confirm="ForgetMeIntent"``); the core builds the directive here,
with the full intent Alexa needs in ``updatedIntent`` (every slot the intent declares, the ones
this request already filled kept). The intent must be in the model's dialog section: a slot with
``samples`` of its own, or an intent with ``"confirm": true``; Alexa silently ignores a directive
for anything else, so the core refuses it.
"""

from __future__ import annotations


class DialogError(ValueError):
    """A reply asks for a slot or confirmation the interaction model does not declare."""


def _updated_intent(name: str, definition: dict, request_intent: dict | None) -> dict:
    same = request_intent if request_intent and request_intent.get("name") == name else {}
    received = same.get("slots") or {}
    slots = {}
    for slot in definition.get("slots", []):
        kept = received.get(slot["name"])
        empty = {"name": slot["name"], "confirmationStatus": "NONE"}
        slots[slot["name"]] = dict(kept) if isinstance(kept, dict) else empty
    return {"name": name, "confirmationStatus": "NONE", "slots": slots}


def elicit_slot(target: str, intents: dict[str, dict], request_intent: dict | None) -> dict:
    """``Dialog.ElicitSlot`` for ``target`` (``"Intent.slot"``); ``intents``: name -> definition."""
    name, _, slot = target.partition(".")
    definition = intents.get(name)
    if definition is None or not any(s["name"] == slot and s.get("samples") for s in definition.get("slots", [])):
        raise DialogError(f"{target!r} is not a slot the skill can ask for: declare it with its own samples")
    return {"type": "Dialog.ElicitSlot", "slotToElicit": slot,
            "updatedIntent": _updated_intent(name, definition, request_intent)}


def confirm_intent(name: str, intents: dict[str, dict], request_intent: dict | None) -> dict:
    """``Dialog.ConfirmIntent`` for intent ``name``: the next yes or no confirms or denies it."""
    definition = intents.get(name)
    if definition is None or not definition.get("confirm"):
        raise DialogError(f"{name!r} is not an intent the skill can confirm: declare it with \"confirm\": true")
    return {"type": "Dialog.ConfirmIntent", "updatedIntent": _updated_intent(name, definition, request_intent)}


def as_sdk_directive(directive: dict):
    """The directive as ask-sdk's model object, for the response builder."""
    from ask_sdk_model import (
        Intent,
        IntentConfirmationStatus,
        Slot,
        SlotConfirmationStatus,
    )
    from ask_sdk_model.dialog import ConfirmIntentDirective, ElicitSlotDirective

    updated = directive["updatedIntent"]
    slots = {name: Slot(name=name, value=slot.get("value"),
                        confirmation_status=SlotConfirmationStatus(slot.get("confirmationStatus", "NONE")))
             for name, slot in updated["slots"].items()}
    intent = Intent(name=updated["name"], slots=slots,
                    confirmation_status=IntentConfirmationStatus(updated.get("confirmationStatus", "NONE")))
    if directive["type"] == "Dialog.ConfirmIntent":
        return ConfirmIntentDirective(updated_intent=intent)
    return ElicitSlotDirective(slot_to_elicit=directive["slotToElicit"], updated_intent=intent)
