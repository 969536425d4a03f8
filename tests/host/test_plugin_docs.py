"""docs/plugins.md documents every hook with its signature, and its generated sections are current.

The generator is run in memory (nothing is written): a failure means someone changed a hookspec,
a docstring of the plugin API or a schema without running ``python scripts/gen_plugin_docs.py``.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
from pathlib import Path

import pytest

from skill import hookspecs

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "plugins.md"
SPEC_MARKER = f"{hookspecs.PROJECT}_spec"
HOOKS = [fn for _, fn in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(fn, SPEC_MARKER)]


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("gen_plugin_docs", ROOT / "scripts" / "gen_plugin_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text()


def test_there_are_hooks_to_document():
    assert {fn.__name__ for fn in HOOKS} >= {"register_content", "register_intents", "launch_offer", "plan_finished"}


@pytest.mark.parametrize("hook", HOOKS, ids=lambda fn: fn.__name__)
def test_every_hook_has_a_heading_with_its_signature(doc, hook):
    """The heading is ``name(arg: Type, ...) -> Type``, with every argument of the hookspec, in order."""
    headings = re.findall(rf"^### `({hook.__name__}\(.*\) -> .*)`$", doc, re.MULTILINE)
    assert len(headings) == 1, f"no single '### `{hook.__name__}(...)`' heading in {DOC}"
    documented = re.findall(r"(\w+):", headings[0].split("(", 1)[1].rsplit(") ->", 1)[0])
    assert documented == list(inspect.signature(hook).parameters)


@pytest.mark.parametrize("hook", HOOKS, ids=lambda fn: fn.__name__)
def test_every_hook_has_a_docstring_with_the_parts_the_reference_needs(hook):
    doc = inspect.getdoc(hook) or ""
    for param in inspect.signature(hook).parameters:
        assert f":param {param}:" in doc
    assert ":return:" in doc and "Example::" in doc


def test_the_generated_sections_are_current(generator, doc):
    assert generator.updated(doc) == doc, "docs/plugins.md is out of date: run python scripts/gen_plugin_docs.py"


def test_the_schemas_section_covers_every_core_schema(doc):
    for schema in sorted((ROOT / "skill" / "host" / "schemas").glob("*.schema.json")):
        assert f"(../skill/host/schemas/{schema.name})" in doc


@pytest.mark.parametrize("variable", ["STRIDE_COACH_LOAD_PLUGINS", "STRIDE_COACH_BLOCK_PLUGINS",
                                      "STRIDE_COACH_STRICT_PLUGINS"])
def test_the_control_variables_are_documented(doc, variable):
    assert f"`{variable}" in doc


def test_the_walkthrough_uses_commands_that_exist(doc):
    from skill.cli.main import COMMANDS

    shell = "\n".join(re.findall(r"```sh\n(.*?)```", doc, re.DOTALL))
    used = set(re.findall(r"\bstride-coach ([a-z-]+)", shell))
    assert {"new-plugin", "plugins", "models", "validate", "chat"} <= used
    assert used <= set(COMMANDS)


def test_relative_links_point_at_files(doc):
    for target in re.findall(r"\]\((\.\./[^)#]+)\)", doc):
        assert (DOC.parent / target).exists(), target


def test_every_hook_has_a_test_of_its_own():
    """datasette's rule: a hook nobody tests is a hook whose documented behaviour nobody checks."""
    tests = "\n".join(path.read_text() for path in (ROOT / "tests").rglob("test_*.py"))
    untested = [hook.__name__ for hook in HOOKS if f"def test_hook_{hook.__name__}" not in tests]
    assert not untested, f"hooks without a test_hook_<name> test: {untested}"
