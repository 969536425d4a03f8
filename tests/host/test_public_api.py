"""The plugin API is one surface: ``from skill import ...``. The built-in plugins use nothing else,
the host imports nothing of theirs, and loading the test kit imports almost nothing."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import skill

ROOT = Path(__file__).resolve().parents[2]
BUILTIN_FILES = sorted((ROOT / "plugins").rglob("*.py"))
THIRD_PARTY_FILES = [*sorted((ROOT / "examples").rglob("src/**/*.py")), ROOT / "skill" / "scaffold" / "plugin.py.tmpl"]


def skill_imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) for every import of a ``skill`` module in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text().replace("$", "_"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "skill":
            found.append((node.lineno, node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names if a.name.split(".")[0] == "skill"]
    return found


def test_the_files_under_test_exist():
    assert {p.parent.name for p in BUILTIN_FILES} >= {"diagnosis", "stretch_timer", "strength_coach"}
    assert any(p.name == "plugin.py.tmpl" for p in THIRD_PARTY_FILES)


@pytest.mark.parametrize("path", BUILTIN_FILES + THIRD_PARTY_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_plugins_import_only_the_public_api(path):
    wrong = [f"{path.relative_to(ROOT)}:{line}: {module} {names}" for line, module, names in skill_imports(path)
             if module != "skill" or not set(names) <= set(skill.__all__)]
    assert not wrong, "plugins may import only names in skill.__all__:\n" + "\n".join(wrong)


def test_every_public_name_resolves():
    for name in skill.__all__:
        assert getattr(skill, name) is not None, name


def test_hookimpl_is_the_marker_beside_the_hookspecs():
    from skill import hookspecs

    assert skill.hookimpl is hookspecs.hookimpl
    assert hookspecs.hookimpl.project_name == hookspecs.PROJECT == "stride_coach"


def run_python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout


def test_the_host_imports_cleanly_on_its_own_and_without_the_builtins():
    """No import cycle: the plugin host loads first, by itself, and never imports the built-ins."""
    out = run_python("import sys; import skill.host.host; "
                     "print(sorted(m for m in sys.modules if m.split('.')[0] in ('plugins', 'content')))")
    assert out.strip() == "[]"


def test_the_app_registers_the_core_plugin():
    from skill.pipeline.app import load_from_env

    host = load_from_env()
    assert host.records["core"].module == "skill.pipeline.core_intents"
    assert host.loaded()[0] == "core"


def test_loading_the_pytest_plugin_imports_neither_the_sdk_nor_the_pipeline():
    out = run_python("import sys, json; import skill.kit.pytest_plugin; "
                     "print(json.dumps(sorted({m.split('.')[0] + ('.' + m.split('.')[1] if m.count('.') else '') "
                     "for m in sys.modules if m.startswith(('skill', 'ask_sdk', 'jsonschema', 'sqlite3'))})))")
    loaded = json.loads(out)
    assert not [m for m in loaded if m.startswith(("ask_sdk", "jsonschema", "sqlite3", "skill.pipeline",
                                                   "skill.store", "skill.voice", "skill.engine"))], loaded
