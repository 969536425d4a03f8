"""``stride-coach new-plugin``: the generated package is valid, installable as declared, and its tests pass.

How "installed" is simulated: ``pip install -e`` of every generated package would cost seconds
per run (setuptools in an isolated build environment) and, if a run were interrupted, leave a
plugin in the environment that changes ``stride-coach models --check``. Instead the test reads
the entry point from the generated ``pyproject.toml`` and writes the matching ``*.dist-info``
(the same metadata pip would write) into a temporary folder, then runs the generated tests with
pytest in a subprocess whose ``PYTHONPATH`` holds that folder and the package's ``src``. Stride
Coach discovers the plugin through its entry point exactly as after a real install; nothing is
installed. The real ``pip install -e`` path is exercised by ``scripts/check_example_plugin.sh``.
"""

from __future__ import annotations

import fnmatch
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from skill.cli.main import main
from skill.cli.new_plugin import PluginNames, ScaffoldError, scaffold
from skill.host.content import SCHEMA_DIR
from skill.kit.simulator import write_distribution


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return scaffold("foam-roll", tmp_path / "work")


def pyproject(package: Path) -> dict:
    return tomllib.loads((package / "pyproject.toml").read_text())


def test_names_come_from_the_words_of_the_name():
    fields = PluginNames.parse("Foam Roll").fields()
    assert fields["distribution"] == "stride-coach-foam-roll"
    assert fields["module"] == "stride_coach_foam_roll" and fields["module"].isidentifier()
    assert fields["plugin_id"] == "foam_roll" and fields["intent"] == "FoamRollIntent"
    assert PluginNames.parse("stride-coach-foam_roll") == PluginNames.parse("foam-roll")
    assert PluginNames.parse("ankle").fields()["offer_title"] == "an ankle routine"


@pytest.mark.parametrize("name", ["", "foam2", "9lives", "foam/roll", "---"])
def test_unusable_names_are_refused(tmp_path, name):
    with pytest.raises(ScaffoldError, match="not a usable plugin name"):
        scaffold(name, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_package_layout(package):
    module = package / "src" / "stride_coach_foam_roll"
    assert package.name == "stride-coach-foam-roll"
    for path in ("pyproject.toml", "README.md", "tests/test_foam_roll.py"):
        assert (package / path).is_file()
    assert (module / "__init__.py").is_file() and (module / "intents.json").is_file()


def test_pyproject_declares_the_entry_point_dependency_and_package_data(package):
    project = pyproject(package)
    assert project["project"]["name"] == "stride-coach-foam-roll"
    assert project["project"]["entry-points"]["stride_coach"] == {"foam_roll": "stride_coach_foam_roll"}
    assert any(d.startswith("stride-coach") for d in project["project"]["dependencies"])
    patterns = project["tool"]["setuptools"]["package-data"]["stride_coach_foam_roll"]
    module = package / "src" / "stride_coach_foam_roll"
    for file in module.rglob("*.json"):  # every JSON file ships in the wheel
        assert any(fnmatch.fnmatch(file.relative_to(module).as_posix(), p) for p in patterns), file


@pytest.mark.parametrize("kind, folder", [("exercise", "exercises"), ("routine", "routines")])
def test_generated_content_is_valid_against_the_core_schemas(package, kind, folder):
    validator = Draft202012Validator(json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text()))
    files = list((package / "src" / "stride_coach_foam_roll" / "content" / folder).glob("*.json"))
    assert len(files) == 1
    assert [e.message for e in validator.iter_errors(json.loads(files[0].read_text()))] == []


def test_generated_intent_is_valid_and_has_samples(package):
    validator = Draft202012Validator(json.loads((SCHEMA_DIR / "intent.schema.json").read_text()))
    (intent,) = json.loads((package / "src" / "stride_coach_foam_roll" / "intents.json").read_text())
    assert list(validator.iter_errors(intent)) == []
    assert intent["name"] == "FoamRollIntent" and len(intent["templates"]["en"]) >= 3  # templates, as docs/plugins.md


def test_generated_tests_pass_with_the_plugin_found_through_its_entry_point(package, tmp_path):
    project = pyproject(package)
    site = tmp_path / "site-packages"
    write_distribution(site, project["project"]["name"], project["project"]["entry-points"]["stride_coach"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIDE_COACH_")}
    env["PYTHONPATH"] = os.pathsep.join([str(package / "src"), str(site)])
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=package, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


def test_an_existing_folder_is_never_overwritten(package):
    readme = (package / "README.md").read_text()
    (package / "notes.txt").write_text("mine")
    with pytest.raises(ScaffoldError, match="already exists"):
        scaffold("foam-roll", package.parent)
    assert (package / "README.md").read_text() == readme and (package / "notes.txt").read_text() == "mine"


def test_a_name_that_clashes_with_a_builtin_is_refused(tmp_path):
    with pytest.raises(ScaffoldError, match="CheckMyBackIntent already belongs to plugin 'diagnosis'"):
        scaffold("check-my-back", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_command_creates_the_package_and_says_what_next(tmp_path, capsys):
    assert main(["new-plugin", "foam-roll", "--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"created {tmp_path / 'stride-coach-foam-roll'}" in out and "pip install -e" in out
    assert main(["new-plugin", "foam-roll", "--dir", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().err
