"""Fuzz the Lambda handler with mutated Alexa envelopes and corrupted stored state.

    python benchmarks/fuzz_envelopes.py [--count 10000] [--seed 1] [--json]

Seeds are genuine envelopes from real conversations (skill.kit.fuzz.seed_envelopes); each run
mutates one (wrong types, missing fields, deep and huge values, odd request types, corrupted
session attributes) and sometimes corrupts what the store holds for its user first. It reports
exceptions other than ``BadRequest`` that escape ``skill.lambda_function.handler``, responses
that break Alexa's rules (skill.kit.fuzz.rule_problems), and the time per request.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))  # Lambda's default; the skill must not rely on more


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--show", type=int, default=5, help="examples of each failure to print")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="stride-fuzz-"))
    os.environ["STRIDE_COACH_STORE"] = "sqlite"
    os.environ["STRIDE_COACH_DB"] = str(folder / "fuzz.db")
    for name in ("STRIDE_COACH_LOAD_PLUGINS", "STRIDE_COACH_BLOCK_PLUGINS", "STRIDE_COACH_STRICT_PLUGINS"):
        os.environ.pop(name, None)
    import logging

    logging.disable(logging.CRITICAL)  # every refused request logs; the figures are what matter here
    from skill.kit.fuzz import mutate, rule_problems, seed_envelopes
    from skill.lambda_function import handler
    from skill.pipeline.app import BadRequest, get_app

    app = get_app()
    seeds = seed_envelopes(app)
    rng = random.Random(args.seed)
    escaped: Counter[str] = Counter()
    broken: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    refused = answered = 0
    times: list[float] = []
    slowest = (0.0, "")
    for _i in range(args.count):
        seed = rng.choice(seeds)
        stored = _stored(app, seed) if rng.random() < 0.3 else None
        before = json.dumps(stored, sort_keys=True, default=str) if stored is not None else None
        envelope = mutate(seed, rng, stored)
        if stored is not None and json.dumps(stored, sort_keys=True, default=str) != before:
            _store(app, seed, stored)
        started = time.perf_counter()
        try:
            response = handler(envelope, None)
        except BadRequest:
            refused += 1
            response = None
        except Exception as exc:
            key = f"{type(exc).__name__}: {str(exc)[:80]}"
            escaped[type(exc).__name__] += 1
            examples.setdefault(type(exc).__name__, []).append(key + "\n" + traceback.format_exc(limit=-3))
            response = None
        elapsed = time.perf_counter() - started
        times.append(elapsed)
        if elapsed > slowest[0]:
            slowest = (elapsed, _describe(envelope))
        if response is not None:
            answered += 1
            for problem in rule_problems(envelope, response):
                kind = problem.split(":")[0][:60]
                broken[kind] += 1
                examples.setdefault(kind, []).append(problem[:300] + "  <- " + _describe(envelope))
    times.sort()
    figures = {
        "envelopes": args.count, "seeds": len(seeds), "answered": answered, "refused_bad_request": refused,
        "escaped_exceptions": sum(escaped.values()), "escaped_by_type": dict(escaped),
        "rule_breaking_responses": sum(broken.values()), "rule_problems": dict(broken),
        "max_ms": round(times[-1] * 1000, 1), "p99_ms": round(times[int(len(times) * 0.99)] * 1000, 2),
        "p50_ms": round(times[len(times) // 2] * 1000, 2), "slowest": slowest[1],
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:24} {value}")
        for kind, shown in examples.items():
            print(f"\n== {kind} ({len(shown)})")
            for text in shown[: args.show]:
                print("  " + text.replace("\n", "\n    "))
    return 1 if figures["escaped_exceptions"] or figures["rule_breaking_responses"] else 0


def _user(seed: dict) -> dict:
    return {"context": {"System": {"user": {"userId": seed["context"]["System"]["user"]["userId"]}}}}


def _stored(app, seed: dict) -> dict:
    return app.adapter.get_attributes(_user(seed))


def _store(app, seed: dict, stored: dict) -> None:
    with contextlib.suppress(TypeError, ValueError):  # NaN and the like cannot be stored as JSON
        app.adapter.save_attributes(_user(seed), stored)


def _describe(envelope) -> str:
    try:
        request = envelope.get("request") if isinstance(envelope, dict) else None
        kind = request.get("type") if isinstance(request, dict) else type(request).__name__
        intent = request.get("intent") if isinstance(request, dict) else None
        name = intent.get("name") if isinstance(intent, dict) else None
        return f"{str(kind)[:40]} {str(name)[:40] if name else ''}".strip()
    except Exception:
        return "?"


if __name__ == "__main__":
    raise SystemExit(main())
