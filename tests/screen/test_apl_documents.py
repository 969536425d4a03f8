"""The APL documents in the project: checked at start-up, and refused when they break a rule."""

from __future__ import annotations

import copy
import importlib
import json

import pytest

from skill.screen.documents import APL_VERSION, SCREENS, ScreenDocumentError, document_problems, load_documents

documents_module = importlib.import_module("skill.screen.documents")


def test_every_screen_has_a_valid_document_on_the_pinned_version():
    loaded = load_documents()
    assert set(loaded) == set(SCREENS)
    for screen, document in loaded.items():
        assert document["version"] == APL_VERSION
        assert document_problems(screen, document) == []
        assert "Buttons" in document["layouts"], "the shared parts are merged into each document"


def _broken(screen: str, change) -> list[str]:
    document = copy.deepcopy(load_documents()[screen])
    change(document)
    return document_problems(screen, document)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d.update(version="2024.3"), "pinned to APL 1.8"),
    (lambda d: d.pop("mainTemplate"), "mainTemplate is required"),
    (lambda d: d.update(type="APLA"), "type must be 'APL'"),
    (lambda d: d["mainTemplate"].update(parameters=["data"]), "mainTemplate.parameters"),
    (lambda d: d["layouts"]["Buttons"].update(items=[]), "layouts.Buttons.items"),
    (lambda d: d.update(extensions=[]), "unexpected top-level field 'extensions'"),
    (lambda d: d["layouts"]["Buttons"].update(parameters=[{"name": "buttons", "type": "list"}]),
     "needs a name and an APL parameter type"),
    (lambda d: d["mainTemplate"]["items"][0].update(type="VectorGraphicPlus"), "'VectorGraphicPlus' is neither"),
    (lambda d: d["mainTemplate"]["items"].append({"type": "Text", "text": "${payload.secret}"}), "payload.secret"),
    (lambda d: d["layouts"]["Buttons"]["items"][0]["items"][0]["onPress"][0].update(arguments=["goto", "x"]),
     "only [\"control\", action]"),
])
def test_a_document_that_breaks_a_rule_is_refused(change, expected):
    problems = _broken("menu", change)
    assert any(expected in problem for problem in problems), problems


def test_a_broken_document_stops_the_skill_from_starting(tmp_path, monkeypatch):
    for path in documents_module.DOCUMENTS_DIR.glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text())
    coach = json.loads((tmp_path / "coach.json").read_text())
    coach["mainTemplate"]["items"][0]["content"][0]["items"][0]["frame"] = "${payload.frame}"
    (tmp_path / "coach.json").write_text(json.dumps(coach))
    monkeypatch.setattr(documents_module, "DOCUMENTS_DIR", tmp_path)
    load_documents.cache_clear()
    try:
        with pytest.raises(ScreenDocumentError, match=r"coach\.json: binds payload\.frame\b"):
            load_documents()
        from skill.kit.simulator import make_skill

        with pytest.raises(ScreenDocumentError):
            make_skill(tmp_path / "store.db")
    finally:
        load_documents.cache_clear()


def test_unreadable_json_names_the_file(tmp_path, monkeypatch):
    for path in documents_module.DOCUMENTS_DIR.glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text())
    (tmp_path / "paused.json").write_text("{not json")
    monkeypatch.setattr(documents_module, "DOCUMENTS_DIR", tmp_path)
    load_documents.cache_clear()
    try:
        with pytest.raises(ScreenDocumentError, match=r"paused\.json: cannot be read as JSON"):
            load_documents()
    finally:
        load_documents.cache_clear()


def test_validate_reports_every_broken_document(tmp_path, monkeypatch, capsys):
    for path in documents_module.DOCUMENTS_DIR.glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text())
    for name in ("menu.json", "summary.json"):
        document = json.loads((tmp_path / name).read_text())
        document["version"] = "2023.2"
        (tmp_path / name).write_text(json.dumps(document))
    monkeypatch.setattr(documents_module, "DOCUMENTS_DIR", tmp_path)
    from skill.cli.main import main

    assert main(["validate"]) == 1
    errors = capsys.readouterr().err
    assert "skill/screen/documents/menu.json: declares APL 2023.2" in errors
    assert "skill/screen/documents/summary.json: declares APL 2023.2" in errors
