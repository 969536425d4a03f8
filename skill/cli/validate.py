"""``stride-coach validate``: every problem in plugins, content, interaction models and the manifest template.

It runs what Alexa's model build and certification would check (see :mod:`skill.voice.checks`
and :mod:`skill.manifest.checks`) on the model generated from the loaded plugins and on the
committed one, for every locale, and exits 1 listing each problem as ``file: JSON pointer: reason``.
A committed model identical to the generated one is checked once.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from skill.cli.common import models_dir, project_root
from skill.host.host import PluginHost
from skill.manifest import LOCALES_FILE, load_texts
from skill.manifest.checks import phrase_problems, text_problems
from skill.pipeline.app import load_from_env, write_validation_cache
from skill.screen.documents import screen_problems
from skill.voice.builtin_intents import BUILTIN_PHRASES
from skill.voice.checks import model_problems
from skill.voice.model import LOCALES, model_path, model_text
from skill.voice.validation import generated_model_problems, generated_models, plugin_failures, rehearsal_problems


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--models-dir", help="folder of committed interaction models (default: interaction_models/)")


def display_path(path: Path) -> str:
    """``path`` relative to the checkout when it is inside it: shorter, and the same on every machine."""
    try:
        return str(Path(path).resolve().relative_to(project_root()))
    except ValueError:
        return str(path)


def problems(host: PluginHost, directory: Path) -> list[str]:
    """Every problem, as ``file: JSON pointer: reason`` lines (plugin failures as ``plugin NAME: reason``)."""
    found = plugin_failures(host)
    handled = set(host.intents) | set(BUILTIN_PHRASES)
    generated = generated_models(host)
    found += generated_model_problems(host, generated)
    committed: dict[str, dict] = {}
    for locale in LOCALES:
        path = model_path(directory, locale)
        label = display_path(path)
        if not path.exists():
            found.append(f"{label}: /: missing; run 'stride-coach models' to write it")
            continue
        text = path.read_text()
        if text == model_text(generated[locale]):
            continue  # the same model: already checked
        found.append(f"{label}: /: differs from the model generated from the plugins; run 'stride-coach models'")
        try:
            committed[locale] = json.loads(text)
        except json.JSONDecodeError as exc:
            found.append(f"{label}: /: not valid JSON: {exc}")
            continue
        found += [str(p) for p in model_problems(committed[locale], handled, label)]
    found += manifest_problems(generated, committed, display_path(directory)) + screen_problems()
    return found + rehearsal_problems(host)


def manifest_problems(generated: dict[str, dict], committed: dict[str, dict], committed_dir: str) -> list[str]:
    """The publishing text's problems, and example phrases that fail against either set of models."""
    label = display_path(LOCALES_FILE)
    try:
        texts = load_texts()
    except (OSError, json.JSONDecodeError) as exc:
        return [f"{label}: /: cannot be read: {exc}"]
    found = text_problems(texts, label)
    found += phrase_problems(texts, generated, label, "generated model")
    found += phrase_problems(texts, _valid_models(committed), label, f"committed model in {committed_dir}/")
    return [str(p) for p in found]


def _valid_models(models: dict[str, dict]) -> dict[str, dict]:
    """Models with the shape example phrases can be matched against (others are reported already)."""
    valid = {}
    for locale, model in models.items():
        try:
            language = model["interactionModel"]["languageModel"]
            if isinstance(language["invocationName"], str) and isinstance(language.get("intents", []), list):
                valid[locale] = model
        except (KeyError, TypeError):
            continue
    return valid


def run(args: argparse.Namespace) -> int:
    host = load_from_env(strict=False)
    found = problems(host, Path(args.models_dir) if args.models_dir else models_dir())
    if found:
        print(f"{len(found)} problem(s):", file=sys.stderr)
        for problem in found:
            print(f"  {problem}", file=sys.stderr)
        return 1
    documents = sum(len(d) for d in host.content.documents.values())
    print(f"ok: {len(host.loaded())} plugins loaded, {documents} content documents valid, interaction models for "
          f"{', '.join(LOCALES)} valid, manifest template valid, screen documents valid")
    try:  # lets the next cold start skip re-validating exactly this content (see skill.host.content)
        write_validation_cache(host)
    except OSError as exc:  # a read-only install: cold starts simply validate in full
        print(f"note: validation cache not written: {exc}", file=sys.stderr)
    return 0
