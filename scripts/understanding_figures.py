"""How well Stride Coach understands people: the corpus in tests/voice/corpus.py through the paced chat.

Prints, per conversation point and overall, the share of utterances that led to the right
behaviour (``stride-coach chat --paced``: the local NLU, the dialog, the skill) and the share the
interaction model alone covers (its samples and the slot the skill asked for). ``--misses`` lists
every utterance that went wrong. Run from the repository root: ``python scripts/understanding_figures.py``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_corpus():
    spec = importlib.util.spec_from_file_location("understanding_corpus", ROOT / "tests" / "voice" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def figures(locale: str = "en-US", held_out: bool = False):
    from skill.cli.chat import Chat, load_model
    from skill.kit.understanding import measure
    from skill.pipeline.app import get_app, reset_app
    from skill.voice.nlu import Resolver

    corpus = load_corpus()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(STRIDE_COACH_STORE="sqlite", STRIDE_COACH_DB=str(Path(folder) / "corpus.db"))
        reset_app()
        resolver = Resolver(load_model(get_app().host, locale))
        start = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
        points = corpus.HELD_OUT if held_out else corpus.POINTS
        adapter = get_app().adapter

        def returning(user: str) -> None:
            """A runner who answered the safety screen and this week's ratings today (docs/safety.md)."""
            key = {"context": {"System": {"user": {"userId": user}}}}
            attributes = adapter.get_attributes(key) or {}
            diagnosis = attributes.setdefault("plugins", {}).setdefault("diagnosis", {})
            day = start.date().isoformat()
            diagnosis.update(screened_on=day, history_asked=True, disclaimer_heard=True,
                             outcomes=[{"date": day, "pain": 3, "function": 7}])
            adapter.save_attributes(key, attributes)

        result = measure(points, lambda user: Chat(resolver, user, locale, start), corpus.parse_expected, returning)
        reset_app()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every utterance that went wrong")
    parser.add_argument("--held-out", action="store_true",
                        help="the held-out corpus (written after the templates, never tuned against)")
    args = parser.parse_args(argv)
    result = figures(held_out=args.held_out)
    print(result.table())
    if args.misses:
        for outcome in result.outcomes:
            if not outcome.right:
                print(f"  {outcome.point}: {outcome.utterance!r} wanted {outcome.expected}; got {outcome.got}: "
                      f"{', '.join(outcome.problems)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
