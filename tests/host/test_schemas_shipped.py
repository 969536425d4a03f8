"""Every JSON Schema the project ships is a valid draft 2020-12 schema.

The skill does not check its own schemas (the core's and the built-in plugins') against the
metaschema when it starts, to keep the cold start short; this test is where they are checked.
A third-party plugin's schemas are still checked at every start (see ContentLibrary.add_schema).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from skill.host.content import ContentLibrary
from skill.kit.simulator import make_host

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_FILES = sorted([*ROOT.glob("skill/host/schemas/*.json"), *ROOT.glob("plugins/*/schemas/*.json")])


def test_the_shipped_schema_files_are_found():
    assert len(SHIPPED_FILES) >= 5


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_schema_file_is_valid(path: Path):
    Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_every_schema_the_built_ins_register_is_valid():
    host = make_host()
    assert {"exercise", "routine", "plan"} <= set(host.content.schemas)
    for kind, (plugin, schema) in host.content.schemas.items():
        assert host.records[plugin].builtin, f"{kind} comes from {plugin}, which is not built in"
        Draft202012Validator.check_schema(schema)


def test_a_schema_is_checked_unless_the_caller_ships_it():
    broken = {"type": "object", "properties": {"id": {"type": 7}}}
    assert ContentLibrary().add_schema("thing", broken, "third_party")
    assert not ContentLibrary().add_schema("thing", broken, "core", check=False)
