"""``stride-coach validate``: every problem in content, plugins and interaction models, then exit 1."""

from __future__ import annotations

import argparse
import json
import sys

from ..builtin_intents import BUILTIN_PHRASES
from ..interaction_model import LOCALES, build_model, model_path
from ..model_checks import check_model
from ..plugins import PluginHost, load_from_env
from .common import models_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--models-dir", help="folder of committed interaction models (default: interaction_models/)")


def problems(host: PluginHost, directory) -> list[str]:
    found: list[str] = []
    for record in host.records.values():
        if record.status == "failed":
            found += [f"plugin {record.name}: {error}" for error in record.errors]
    handled = set(host.intents) | set(BUILTIN_PHRASES)
    for locale in LOCALES:
        found += check_model(build_model(host, locale), handled, f"generated {locale} model")
        path = model_path(directory, locale)
        if not path.exists():
            found.append(f"{path}: missing; run 'stride-coach models' to write it")
            continue
        try:
            committed = json.loads(path.read_text())
        except json.JSONDecodeError as exc:
            found.append(f"{path}: /: not valid JSON: {exc}")
            continue
        found += check_model(committed, handled, str(path))
    return found


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    host = load_from_env(strict=False)
    found = problems(host, Path(args.models_dir) if args.models_dir else models_dir())
    if found:
        print(f"{len(found)} problem(s):", file=sys.stderr)
        for problem in found:
            print(f"  {problem}", file=sys.stderr)
        return 1
    loaded = host.loaded()
    print(f"ok: {len(loaded)} plugins loaded, {sum(len(d) for d in host.content.documents.values())} content "
          f"documents valid, interaction models for {', '.join(LOCALES)} valid")
    return 0
