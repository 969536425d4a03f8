"""What a screen costs: the same requests from a voice-only device and from an Echo Show, in one run.

For each kind of turn (the menu, the start of a routine, a pause) the median time of
``SkillApp.handle`` and the response size, voice only against with the screen, and their ratio.
Informational: it prints figures and exits 0.

    python benchmarks/bench_screen.py [--iterations N]
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import tempfile
import time
from pathlib import Path

from skill.kit.simulator import AlexaSimulator, make_skill

APL = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2024.3"}}}
VIEWPORT = {"mode": "HUB", "shape": "RECTANGLE", "pixelWidth": 1280, "pixelHeight": 800, "dpi": 160,
            "currentPixelWidth": 1280, "currentPixelHeight": 800, "touch": ["SINGLE"], "keyboard": []}


def requests(app, user: str) -> dict[str, dict]:
    """One envelope per kind of turn, each with the session a real conversation would have by then."""
    alexa = AlexaSimulator(app, user_id=user)
    found = {"menu": alexa.device.launch()}
    alexa.send(copy.deepcopy(found["menu"]))
    resolution = alexa.resolver.resolve("after run stretches")
    found["routine start"] = alexa.device.intent(resolution.intent, resolution.slots)
    alexa.send(copy.deepcopy(found["routine start"]))
    alexa.wait(70)
    found["pause"] = alexa.device.intent("AMAZON.PauseIntent")
    return found


def with_screen(envelope: dict) -> dict:
    envelope = copy.deepcopy(envelope)
    envelope["context"]["System"]["device"]["supportedInterfaces"] = copy.deepcopy(APL)
    envelope["context"]["Viewport"] = dict(VIEWPORT)
    return envelope


def measure(app, envelope: dict, iterations: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(iterations):
        event = copy.deepcopy(envelope)
        started = time.perf_counter()
        answer = app.handle(event, owned=True)
        times.append(time.perf_counter() - started)
        size = len(json.dumps(answer))
    return statistics.median(times) * 1000, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = make_skill(Path(folder) / "bench.db")
        turns = requests(app, "amzn1.ask.account.BENCH-SCREEN")
        print(f"{'turn':<16}{'voice ms':>10}{'screen ms':>11}{'ratio':>8}{'voice bytes':>13}{'screen bytes':>14}")
        for name, envelope in turns.items():
            voice_ms, voice_bytes = measure(app, envelope, args.iterations)
            screen_ms, screen_bytes = measure(app, with_screen(envelope), args.iterations)
            print(f"{name:<16}{voice_ms:>10.2f}{screen_ms:>11.2f}{screen_ms / voice_ms:>7.2f}x"
                  f"{voice_bytes:>13}{screen_bytes:>14}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
