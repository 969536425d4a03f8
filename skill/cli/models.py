"""``stride-coach models``: write every locale's interaction model, or ``--check`` the committed ones.

The committed files are what ``stride-coach package`` ships, so CI runs ``--check`` to make sure
they are exactly what the loaded plugins produce; it fails on any difference or missing file and
shows a short diff.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from skill.cli.common import models_dir
from skill.pipeline.app import load_from_env
from skill.voice.builtin_intents import BUILTIN_PHRASES
from skill.voice.checks import check_model
from skill.voice.model import (
    LOCALES,
    MAX_SAMPLES_PER_INTENT,
    MAX_SLOT_SAMPLES,
    BuildNotes,
    build_model,
    model_path,
    model_text,
)

DIFF_LINES = 40  # per file: enough to see what changed, short enough to read in CI output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="fail if a committed model differs from what would be written")
    parser.add_argument("--dir", help="the models folder (default: interaction_models/)")


def short_diff(current: str, wanted: str, path: Path) -> str:
    lines = list(difflib.unified_diff(current.splitlines(), wanted.splitlines(), f"{path} (committed)",
                                      f"{path} (generated)", lineterm="", n=1))
    more = len(lines) - DIFF_LINES
    return "\n".join(lines[:DIFF_LINES] + ([f"... {more} more diff lines"] if more > 0 else []))


def run(args: argparse.Namespace) -> int:
    host = load_from_env(strict=False)
    directory = Path(args.dir) if args.dir else models_dir()
    stale = []
    conflicts: list[str] = []
    for locale in LOCALES:
        notes = BuildNotes()
        model = build_model(host, locale, notes)
        text = model_text(model)
        conflicts += [p for p in check_model(model, set(host.intents) | set(BUILTIN_PHRASES), locale)
                      if "Alexa cannot tell them apart" in p or "Alexa picks instead" in p]
        for name, left_out in notes.left_out if locale == LOCALES[0] and not args.check else ():
            print(f"{name}: kept {MAX_SAMPLES_PER_INTENT if '.' not in name else MAX_SLOT_SAMPLES} "
                  f"samples of its templates, {left_out} longer ones left out", file=sys.stderr)
        path = model_path(directory, locale)
        if not args.check:
            directory.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"wrote {path}")
        elif not path.exists():
            stale.append(path)
            print(f"missing: {path}", file=sys.stderr)
        elif path.read_text() != text:
            stale.append(path)
            print(short_diff(path.read_text(), text, path), file=sys.stderr)
    if conflicts:
        print("conflicts (the same sample in two intents):\n  " + "\n  ".join(conflicts), file=sys.stderr)
        return 1
    if stale:
        print(f"out of date: {', '.join(map(str, stale))}; run 'stride-coach models' and commit", file=sys.stderr)
        return 1
    if args.check:
        print(f"ok: the models for {', '.join(LOCALES)} in {directory} are up to date")
    return 0
