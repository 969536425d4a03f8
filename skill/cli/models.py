"""``stride-coach models``: write the interaction models, or ``--check`` the committed ones."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from ..interaction_model import LOCALES, build_model, model_path, model_text
from ..plugins import load_from_env
from .common import models_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="fail if a committed model differs from what would be written")
    parser.add_argument("--dir", help="output folder (default: interaction_models/)")


def run(args: argparse.Namespace) -> int:
    host = load_from_env(strict=False)
    directory = Path(args.dir) if args.dir else models_dir()
    stale = []
    for locale in LOCALES:
        text = model_text(build_model(host, locale))
        path = model_path(directory, locale)
        if args.check:
            current = path.read_text() if path.exists() else ""
            if current != text:
                stale.append(path)
                diff = difflib.unified_diff(current.splitlines(), text.splitlines(), str(path), "generated", lineterm="", n=1)
                print("\n".join(list(diff)[:40]), file=sys.stderr)
        else:
            directory.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"wrote {path}")
    if stale:
        print(f"out of date: {', '.join(map(str, stale))}; run 'stride-coach models' and commit", file=sys.stderr)
        return 1
    return 0
