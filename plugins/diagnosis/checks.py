"""The guided self-checks as timed plans for the core's engine: one side, then the other."""

from __future__ import annotations

from skill import Block, ContentLibrary, Plan


def ordered_checks(content: ContentLibrary) -> list[dict]:
    return sorted(content.all("self_check"), key=lambda c: c["order"])


def side_plan(check: dict, side: int) -> Plan:
    """A one-block plan: get into position (or switch sides), hold while noticing, release."""
    where = check["sides"][side]
    setup = ([check["needs"]] + check["setup"]) if side == 0 else [check["switch"]]
    block: Block = {
        "id": f"{check['id']}_{where}",
        "name": f"{check['test_name']}, {where} side",
        "short_name": check["test_name"],
        "setup": setup,
        "safety": check["stop_if"],
        "cues": [check["notice"]],
        "sides": [],
        "sets": 1,
        "rest_seconds": 0,
        "work": {"type": "hold", "seconds": check["hold_seconds"]},
    }
    return {"id": f"check:{check['id']}:{where}", "owner": "", "title": f"the {check['name']} check",
            "blocks": [block], "record": False, "data": {"check": check["id"], "side": where}}
