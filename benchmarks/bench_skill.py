#!/usr/bin/env python3
"""Stride Coach performance benchmark: cold start and warm time per request, against a bare skill.

One run measures, for the real skill and for ``bare_skill.py`` (ask-sdk-core, one LaunchRequest
handler, nothing else):

* **cold start**: a fresh interpreter per sample that imports the Lambda module and answers one
  LaunchRequest (imports, skill build, plugin and content loading and validation, the first
  response), timed from outside the process, from spawn to exit. ``python -c pass`` is measured
  the same way and shown, so the interpreter's own share is visible.
* **warm time per request**: ``handler(event, None)`` in a process whose skill is already built,
  on the SQLite store, for a realistic mix of turns of a returning user (issue 2), and for the
  turns of a whole guided routine (issue 3). Only the handler call is timed; envelopes are built
  by :class:`skill.envelopes.SimulatedDevice` outside the timed region, with a simulated clock that lets the
  user listen to each response (or interrupt it mid-response, for pause).

Targets (issue 2): warm time per request and cold start each at most 2x the bare skill's. The
result is informational; this script always exits 0 unless it could not run at all.

Usage::

    python benchmarks/bench_skill.py            # full run (about 40 s on 2 cores)
    python benchmarks/bench_skill.py --quick    # a short run (seconds) for a rough picture
    python benchmarks/bench_skill.py --show     # print the conversation of one iteration
    python benchmarks/bench_skill.py --profile phases|warm|first|imports   # where the time goes

See ``benchmarks/README.md`` for the method and the figures measured.

Standard library only (``time.perf_counter_ns``, ``subprocess``, ``statistics``, ``cProfile``).
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))  # bare_skill
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))  # run from a checkout without installing

TARGET_RATIO = 2.0
DAY = datetime(2026, 3, 16, tzinfo=UTC)  # a Monday; every iteration replays this day
START_LATENCY_S = 1.0  # as skill.engine.player: a response starts playing ~1 s after its request
LISTEN_GAP_S = 2.0  # a user answers ~2 s after a response finishes (as skill.testing)
HISTORY_DAYS = 14  # returning users have two weeks of finished routines behind them
# What a deployment loads: the built-in plugins only, whatever else is installed in this environment
# (``--all-plugins`` loads every entry point of the group, as ``stride-coach chat`` would).
BUILTIN_PLUGINS = "diagnosis,stretch_timer,strength_coach"
ALL_PLUGINS = False  # --all-plugins
DIVERGED: dict[str, str] = {}  # turns whose answer was not the one the script expects

# -- cold start -----------------------------------------------------------------------------------
# The child measures its own phases too (reported as a breakdown); the headline is the outside time.
CHILD = r"""
import json, sys, time
kind, envelope_file, bench_dir = sys.argv[1:4]
with open(envelope_file) as f:
    event = json.load(f)
t1 = time.perf_counter()
if kind == "ours":
    from skill.lambda_function import handler
else:
    sys.path.insert(0, bench_dir)
    from bare_skill import handler
t2 = time.perf_counter()
response = handler(event, None)
t3 = time.perf_counter()
assert response["response"]["outputSpeech"]["ssml"], response
print(json.dumps({"import": t2 - t1, "first": t3 - t2}))
"""


@dataclass
class ColdResult:
    wall: list[float] = field(default_factory=list)  # seconds, spawn to exit
    imports: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)


def skill_env(db: Path) -> dict[str, str]:
    """The configuration every measured skill gets: the SQLite store at ``db``, pinned plugins."""
    env = {"STRIDE_COACH_DB": str(db), "STRIDE_COACH_STORE": "sqlite"}
    if not ALL_PLUGINS:
        env["STRIDE_COACH_LOAD_PLUGINS"] = BUILTIN_PLUGINS
    return env


def _child_env(db: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONPROFILE", "STRIDE_COACH_"))}
    env.update(skill_env(db))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _spawn(args: list[str], env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"cold-start child failed ({' '.join(args[:3])}):\n{done.stderr}")
    return elapsed, done.stdout


def measure_cold(samples: int, workdir: Path) -> dict[str, ColdResult]:
    """``samples`` fresh interpreters each for ours, bare and ``python -c pass``, interleaved."""
    from skill.kit.device import SimulatedDevice

    envelope_file = workdir / "launch.json"
    envelope_file.write_text(json.dumps(SimulatedDevice("amzn1.ask.account.BENCH-COLD").launch()))
    env = _child_env(workdir / "cold.db")
    results = {"ours": ColdResult(), "bare": ColdResult(), "python": ColdResult()}
    for index in range(samples + 1):  # the first round warms the page cache and writes .pyc files
        for kind in ("python", "bare", "ours"):
            if kind == "python":
                elapsed, out = _spawn(["-c", "pass"], env)
            else:
                elapsed, out = _spawn(["-c", CHILD, kind, str(envelope_file), str(HERE)], env)
            if index == 0:
                continue
            result = results[kind]
            result.wall.append(elapsed)
            if out.strip():
                phases = json.loads(out.strip().splitlines()[-1])
                result.imports.append(phases["import"])
                result.first.append(phases["first"])
    return results


# -- warm: a simulated user talking to a handler ----------------------------------------------------
def playback_seconds(ssml_text: str | None) -> float:
    """How long a device plays ``ssml_text`` (the engine's own estimate; see skill.speech)."""
    from skill.speech.builder import playback_seconds as estimate

    return estimate(ssml_text)


def resolved_slot(name: str, spoken: str, value_id: str, slot_type: str) -> dict:
    """A custom slot as Alexa sends it: the spoken value plus a successful entity resolution."""
    authority = f"amzn1.er-authority.echo-sdk.bench.{slot_type}"
    return {name: {"name": name, "value": spoken, "confirmationStatus": "NONE", "resolutions": {
        "resolutionsPerAuthority": [{"authority": authority, "status": {"code": "ER_SUCCESS_MATCH"},
                                     "values": [{"value": {"name": spoken, "id": value_id}}]}]}}}


class User:
    """A person with an Echo: speaks when a response has played (or interrupts it), one turn at a time.

    Only ``handler(event, None)`` is inside the timed region.
    """

    def __init__(self, handler: Callable, user_id: str, timings: dict[str, list[int]] | None,
                 show: bool = False) -> None:
        from skill.kit.device import SimulatedDevice

        self.handler = handler
        self.now = DAY
        self.device = SimulatedDevice(user_id, clock=lambda: self.now)
        self.timings = timings
        self.show = show
        self.last: tuple[datetime, float] | None = None  # (sent at, playback seconds)
        self.ssml = ""
        self.check = True  # compare each answer with what the script expects (see DIVERGED)
        self.profiler = None  # a cProfile.Profile enabled around the handler call only
        self.script_name = ""

    def at(self, moment: datetime) -> None:
        self.now, self.last = moment, None

    def _advance(self, after: float | None) -> None:
        if self.last is None:
            return
        sent_at, playback = self.last
        if after is not None:  # interrupting: ``after`` seconds after the request was sent
            self.now = sent_at + timedelta(seconds=after)
        else:
            self.now = max(self.now, sent_at + timedelta(seconds=START_LATENCY_S + playback + LISTEN_GAP_S))

    def _send(self, label: str, make: Callable[[], dict], after: float | None, expect: str | None) -> dict:
        from skill.speech.ssml import to_text

        self._advance(after)
        envelope = make()
        handler, profiler = self.handler, self.profiler
        if profiler is not None:
            profiler.enable()
        started = time.perf_counter_ns()
        response = handler(envelope, None)
        elapsed = time.perf_counter_ns() - started
        if profiler is not None:
            profiler.disable()
        if self.timings is not None:
            self.timings.setdefault(label, []).append(elapsed)
        self.device.absorb(response)
        body = response.get("response") or {}
        self.ssml = (body.get("outputSpeech") or {}).get("ssml", "")
        self.last = (self.now, playback_seconds(self.ssml))
        if self.show:
            print(f"  [{self.now:%H:%M:%S}] {label:<14} {elapsed / 1000:8.0f} us  {to_text(self.ssml)[:150]}")
        if self.check and expect is not None and expect.lower() not in self.ssml.lower():
            # The skill's wording changes; a benchmark must not fail over it, but say so: a turn that
            # no longer gets the answer the script expects may no longer measure the same thing.
            DIVERGED.setdefault(f"{self.script_name}: {label}",
                                f"expected {expect!r}, got {to_text(self.ssml)[:160]!r}")
        return response

    def mid_response(self, fraction: float) -> float:
        """Seconds after the last request at which ``fraction`` of its response has played."""
        return START_LATENCY_S + fraction * (self.last[1] if self.last else 0.0)

    # turns
    def launch(self, label: str = "launch", expect: str | None = None) -> dict:
        return self._send(label, self.device.launch, None, expect)

    def intent(self, label: str, name: str, slots: dict | None = None, *, after: float | None = None,
               expect: str | None = None) -> dict:
        return self._send(label, lambda: self.device.intent(name, slots), after, expect)

    def session_ended(self, label: str = "session ended", reason: str = "EXCEEDED_MAX_REPROMPTS") -> dict:
        return self._send(label, lambda: self.device.session_ended(reason), None, None)


FINISHED = "Anything else?"  # the menu question that follows a finished plan


def whole_routine(user: User) -> None:
    """Issue 3: launch, start, next, pause mid-hold, resume, next... to the finish, then stop."""
    user.launch("launch", expect="Welcome")
    user.intent("start", "StartStretchIntent", expect="<break")
    user.intent("next", "AMAZON.NextIntent", expect="<break")
    user.intent("pause", "AMAZON.PauseIntent", after=user.mid_response(0.4), expect="Paused during")
    user.intent("resume", "AMAZON.ResumeIntent", expect="<break")
    for _ in range(20):
        user.intent("next", "AMAZON.NextIntent")
        if FINISHED in user.ssml:
            break
    else:
        DIVERGED.setdefault("whole_routine: finish", "the routine did not finish within 20 turns of next")
    if user.timings is not None:  # the last "next" is the one that finished the routine
        user.timings.setdefault("finish", []).append(user.timings["next"].pop())
    user.intent("stop", "AMAZON.StopIntent", expect="Goodbye")


def realistic_mix(user: User) -> None:
    """Issue 2: a returning user's day, morning and evening sessions (15 requests)."""
    # Morning: yesterday's strength session was interrupted, so the welcome offers to pick it up.
    user.launch("launch", expect="Pick up there?")
    user.intent("no", "AMAZON.NoIntent", expect="start fresh")
    user.intent("help", "AMAZON.HelpIntent", expect="guided stretches")
    user.intent("start stretches", "StartStretchIntent", expect="<break")
    user.intent("next", "AMAZON.NextIntent", expect="<break")
    user.intent("pause", "AMAZON.PauseIntent", after=user.mid_response(0.4), expect="Paused during")
    user.intent("resume", "AMAZON.ResumeIntent", expect="<break")
    user.intent("longer holds", "LongerHoldsIntent", after=user.mid_response(0.3), expect="holds will be")
    # "Let's do a legs session": "strength session" alone asks which (legs, core or full body).
    user.intent("strength", "StrengthRoutineIntent", resolved_slot("routine", "legs", "legs", "StrengthRoutine"),
                expect="<break")
    user.intent("too hard", "SetFeedbackIntent", resolved_slot("effort", "too hard", "hard", "Effort"),
                after=user.mid_response(0.3), expect="<break")  # noted, and the set carries on
    user.intent("next", "AMAZON.NextIntent", expect="<break")
    user.intent("stop", "AMAZON.StopIntent", after=user.mid_response(0.5), expect="pick up where you left off")
    # Evening: two one-shots ("Alexa, ask stride coach to ..."), then the user walks away.
    user.at(DAY.replace(hour=19))
    user.intent("shorter holds", "ShorterHoldsIntent", expect="holds will be")
    user.intent("this week", "ProgressIntent", expect="In the last seven days")
    user.session_ended("session ended")


def screened(adapter, user: User, day: datetime) -> None:
    """A user who answered the safety screen and the week's ratings on ``day`` (docs/safety.md):
    the measured conversations are a returning runner's, not the screen's."""
    key = {"context": {"System": {"user": {"userId": user.device.user_id}}}}
    attributes = adapter.get_attributes(key) or {}
    diagnosis = attributes.setdefault("plugins", {}).setdefault("diagnosis", {})
    diagnosis.update(screened_on=day.date().isoformat(), history_asked=True, disclaimer_heard=True,
                     outcomes=[{"date": day.date().isoformat(), "pain": 3, "function": 7}])
    adapter.save_attributes(key, attributes)


def seed_history(user: User, days: int, adapter) -> None:
    """``days`` mornings of the after-run routine before ``DAY`` (untimed), screened each day."""
    timings, user.timings = user.timings, None
    try:
        for back in range(days, 0, -1):
            user.at((DAY - timedelta(days=back)).replace(hour=7))
            screened(adapter, user, user.now)
            whole_routine(user)
        screened(adapter, user, DAY)
    finally:
        user.timings = timings


class Replay:
    """Every iteration replays the same day from the same stored state: no drift between iterations."""

    def __init__(self, adapter, user: User, script: Callable[[User], None], hour: int) -> None:
        self.adapter, self.user, self.script, self.hour = adapter, user, script, hour
        self.key = {"context": {"System": {"user": {"userId": user.device.user_id}}}}
        self.snapshot: dict = {}

    def prepare(self) -> None:
        seed_history(self.user, HISTORY_DAYS, self.adapter)
        self.user.check = False
        self.run(timed=False)  # the day once, untimed: what it leaves behind is the replayed state
        self.user.check = True
        self.run(timed=False)  # and again, checking every answer
        self.snapshot = copy.deepcopy(self.adapter.get_attributes(self.key))

    def run(self, timed: bool = True) -> None:
        if self.snapshot:  # untimed: put back the state the replayed day starts from
            self.adapter.save_attributes(self.key, copy.deepcopy(self.snapshot))
        timings = self.user.timings
        if not timed:
            self.user.timings = None
        try:
            self.user.at(DAY.replace(hour=self.hour))
            self.user.script_name = self.script.__name__
            self.script(self.user)
        finally:
            self.user.timings = timings


def bare_launches(handler: Callable, timings: dict[str, list[int]], count: int) -> None:
    from skill.kit.device import SimulatedDevice

    device = SimulatedDevice("amzn1.ask.account.BENCH-BARE", clock=lambda: DAY)
    samples = timings.setdefault("launch", [])
    for _ in range(count):
        envelope = device.launch()
        started = time.perf_counter_ns()
        response = handler(envelope, None)
        samples.append(time.perf_counter_ns() - started)
        device.session_id = None  # every request a new session, like a one-shot launch
        assert response["response"]["outputSpeech"]


@dataclass
class Warm:
    mix: dict[str, list[int]] = field(default_factory=dict)
    routine: dict[str, list[int]] = field(default_factory=dict)
    bare: dict[str, list[int]] = field(default_factory=dict)
    bare_store: dict[str, list[int]] = field(default_factory=dict)  # calibration, not a target


def build_ours(workdir: Path):
    for name in [n for n in os.environ if n.startswith("STRIDE_COACH_")]:
        del os.environ[name]
    os.environ.update(skill_env(workdir / "warm.db"))
    from skill.lambda_function import handler
    from skill.pipeline.app import get_app, reset_app

    reset_app()
    app = get_app()
    return handler, app


def measure_warm(iterations: int, rounds: int, workdir: Path) -> Warm:
    import bare_skill

    handler, app = build_ours(workdir)
    bare_store = bare_skill.with_store(app.adapter)  # the same SQLite file and settings as ours
    warm = Warm()
    mix = Replay(app.adapter, User(handler, "amzn1.ask.account.BENCH-MIX", warm.mix), realistic_mix, 7)
    routine = Replay(app.adapter, User(handler, "amzn1.ask.account.BENCH-ROUTINE", warm.routine), whole_routine, 7)
    mix.prepare()
    routine.prepare()
    bare_launches(bare_skill.handler, {}, 200)  # warm-up
    bare_launches(bare_store, {}, 200)
    per_round = max(1, iterations // rounds)
    requests_per_mix = 15
    for _ in range(rounds):  # interleaved, so drift on a shared machine hits all three alike
        gc.collect()
        bare_launches(bare_skill.handler, warm.bare, per_round * requests_per_mix)
        gc.collect()
        bare_launches(bare_store, warm.bare_store, per_round * requests_per_mix // 2)
        gc.collect()
        for _ in range(per_round):
            mix.run()
        gc.collect()
        for _ in range(per_round):
            routine.run()
    return warm


# -- figures --------------------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def flat(timings: dict[str, list[int]]) -> list[int]:
    return [v for values in timings.values() for v in values]


def us(ns: float) -> float:
    return ns / 1000


def validation_cache_entries() -> int:
    """Fingerprints in the checkout's validation cache that a cold start will trust (0: none)."""
    from skill.host.content import read_validation_cache
    from skill.pipeline.app import VALIDATION_CACHE

    return len(read_validation_cache(VALIDATION_CACHE))


def verdict(ratio: float) -> str:
    return "PASS" if ratio <= TARGET_RATIO else "OVER"


def report(cold: dict[str, ColdResult] | None, warm: Warm | None, args) -> dict:
    figures: dict = {"date": time.strftime("%Y-%m-%d"), "python": platform.python_version(),
                     "cpus": os.cpu_count(), "machine": platform.machine()}
    print()
    print(f"Stride Coach benchmark  {figures['date']}  Python {figures['python']}  "
          f"{figures['cpus']} CPUs  {platform.system()} {figures['machine']}"
          f"{'  (--quick)' if args.quick else ''}")
    print()
    figures["validation_cache"] = validation_cache_entries()
    print(f"validation cache: {figures['validation_cache']} fingerprints" if figures["validation_cache"] else
          "validation cache: none (a cold start validates all content; see benchmarks/README.md)")
    print()
    print(f"{'':44}{'ours':>10}{'bare':>10}{'ratio':>9}   target")
    if cold:
        ours, bare, py = (statistics.median(cold[k].wall) * 1000 for k in ("ours", "bare", "python"))
        ratio = ours / bare
        figures["cold"] = {"ours_ms": round(ours, 1), "bare_ms": round(bare, 1), "python_ms": round(py, 1),
                           "ratio": round(ratio, 2), "samples": len(cold["ours"].wall)}
        print(f"{'cold start, spawn to exit (median ms)':44}{ours:10.1f}{bare:10.1f}{ratio:8.2f}x   "
              f"<= {TARGET_RATIO:g}x {verdict(ratio)}")
        net = (ours - py) / (bare - py)
        figures["cold"]["net_ratio"] = round(net, 2)
        print(f"{'  minus python -c pass (' + f'{py:.1f}' + ' ms)':44}"
              f"{ours - py:10.1f}{bare - py:10.1f}{net:8.2f}x   (info)")
        for phase in ("imports", "first"):
            o = statistics.median(getattr(cold["ours"], phase)) * 1000
            b = statistics.median(getattr(cold["bare"], phase)) * 1000
            label = "  of which imports (ms)" if phase == "imports" else "  of which first request incl. build (ms)"
            print(f"{label:44}{o:10.1f}{b:10.1f}{o / b:8.2f}x   (info)")
            figures["cold"][f"{phase}_ms"] = {"ours": round(o, 1), "bare": round(b, 1)}
    if warm:
        bare_all = flat(warm.bare)
        bare_med, bare_p95 = us(statistics.median(bare_all)), us(pct(bare_all, 95))
        rows = [("warm mix, per request", flat(warm.mix)), ("whole routine, per request", flat(warm.routine))]
        figures["warm"] = {"bare_median_us": round(bare_med), "bare_p95_us": round(bare_p95)}
        for label, values in rows:
            med, p95 = us(statistics.median(values)), us(pct(values, 95))
            key = "mix" if "mix" in label else "routine"
            figures["warm"][key] = {"median_us": round(med), "p95_us": round(p95), "requests": len(values),
                                    "ratio_median": round(med / bare_med, 2), "ratio_p95": round(p95 / bare_p95, 2)}
            print(f"{label + ' (median us)':44}{med:10.0f}{bare_med:10.0f}{med / bare_med:8.2f}x   "
                  f"<= {TARGET_RATIO:g}x {verdict(med / bare_med)}")
            print(f"{label + ' (p95 us)':44}{p95:10.0f}{bare_p95:10.0f}{p95 / bare_p95:8.2f}x   "
                  f"<= {TARGET_RATIO:g}x {verdict(p95 / bare_p95)}")
        launch = warm.mix.get("launch", []) + warm.routine.get("launch", [])
        if launch:
            med = us(statistics.median(launch))
            figures["warm"]["launch_median_us"] = round(med)
            print(f"{'  like for like: LaunchRequest (median us)':44}"
                  f"{med:10.0f}{bare_med:10.0f}{med / bare_med:8.2f}x   (info)")
        if warm.bare_store:
            store_med = us(statistics.median(flat(warm.bare_store)))
            figures["warm"]["bare_store_median_us"] = round(store_med)
            print(f"{'  bare + a SQLite read and write (median us)':44}{'':10}{store_med:10.0f}{'':9}   (calibration)")
        for title, timings in (("realistic mix (issue 2)", warm.mix), ("whole routine (issue 3)", warm.routine)):
            print()
            print(f"  {title}: per turn, microseconds (ratio = median / bare median)")
            print(f"  {'turn':<18}{'n':>7}{'median':>10}{'p95':>10}{'ratio':>9}")
            figures["warm"]["turns_" + ("mix" if "mix" in title else "routine")] = turns = {}
            for label, values in timings.items():
                med, p95 = us(statistics.median(values)), us(pct(values, 95))
                turns[label] = {"median_us": round(med), "p95_us": round(p95)}
                print(f"  {label:<18}{len(values):7d}{med:10.0f}{p95:10.0f}{med / bare_med:8.2f}x")
    if DIVERGED:
        print()
        print("WARNING: some turns did not get the answer the script expects (has the wording or the flow changed?):")
        for turn, problem in DIVERGED.items():
            print(f"  {turn}: {problem}")
        figures["diverged"] = DIVERGED
    print()
    print("Targets are informational: a benchmark never fails the build.")
    return figures


# -- profiling ------------------------------------------------------------------------------------
# Timers on a few named functions: far less overhead than cProfile, so the shares are realistic.
# A target that no longer exists (the code moved on) is skipped, never an error.
PHASE_TIMERS = r"""
import functools, importlib, time

def install_timers(targets):
    spent = {}
    for module_name, path, label in targets:
        try:
            owner = importlib.import_module(module_name)
            *parents, name = path.split(".")
            for parent in parents:
                owner = getattr(owner, parent)
            original = getattr(owner, name)
        except (ImportError, AttributeError):
            continue
        def timed(*args, __original=original, __label=label, __depth=[0], **kwargs):
            __depth[0] += 1
            started = time.perf_counter_ns()
            try:
                return __original(*args, **kwargs)
            finally:
                __depth[0] -= 1
                if __depth[0] == 0:  # recursion counts once
                    spent[__label] = spent.get(__label, 0) + time.perf_counter_ns() - started
        setattr(owner, name, functools.wraps(original)(timed))
    return spent
"""
COLD_TARGETS = [
    ("skill.host.host", "PluginHost.load", "  plugins and content loaded: everything below"),
    ("jsonschema", "Draft202012Validator.check_schema", "    schemas checked against the metaschema"),
    ("skill.host.content", "ContentLibrary._load_file", "    content files read and validated"),
    ("skill.host.content", "ContentLibrary._schema_errors", "      of which JSON Schema validation (not cached)"),
    ("skill.host.content", "ContentLibrary._collect_references", "      of which the x-refers-to walk"),
    ("skill.host.content", "read_validation_cache", "    validation cache read"),
    ("skill.host.host", "PluginHost._collect_intents", "    intents validated"),
    ("skill.host.host", "PluginHost._collect_slot_types", "    slot types validated"),
    ("skill.host.host", "_entry_points", "    entry points scanned"),
    ("skill.host.host", "_version", "    distribution versions read"),
    ("importlib.metadata", "EntryPoint.load", "    plugin modules imported"),
    ("skill.store.sqlite", "SQLiteAdapter.__init__", "  SQLite store opened"),
    ("skill.pipeline.app", "SkillApp._build", "  ask-sdk skill built"),
    ("skill.pipeline.app", "SkillApp.handle", "  the first request itself"),
]
WARM_TARGETS = [
    ("skill.pipeline.app", "read_envelope", "request envelope read into ask-sdk models"),
    ("skill.pipeline.envelope", "copy_json", "  of which session attributes copied"),
    ("skill.pipeline.envelope", "check_envelope", "  of which its shape checked"),
    ("ask_sdk_core.serialize", "DefaultSerializer.serialize", "ask-sdk: response envelope serialized"),
    ("ask_sdk_core.attributes_manager", "AttributesManager.__init__", "ask-sdk: attributes manager made"),
    ("skill.pipeline.exchange", "Exchange.__init__", "store read (sections), player set up"),
    ("skill.store.sqlite", "SQLiteAdapter.read_sections", "  of which the store read"),
    ("skill.pipeline.state_guard", "clean_state", "  of which session attributes checked"),
    ("skill.engine.player", "Player.__init__", "  of which the player made"),
    ("skill.pipeline.exchange", "Exchange.save", "changed sections encoded and written"),
    ("skill.store.sqlite", "SQLiteAdapter.write_sections", "  of which the store written"),
    ("skill.pipeline.playback", "Playback.freeze", "where the user is (locate)"),
    ("skill.pipeline.exchange", "Exchange._checked_plan", "plan validated against its schema"),
    ("skill.engine.player", "Player._play", "segment planned, speech built"),
    ("skill.pipeline.playback", "Playback.finish", "finishing a plan (its minutes, its owner's closing words)"),
    ("skill.pipeline.exchange", "Exchange.build", "response built (SSML rendered and checked)"),
    ("skill.pipeline.exchange", "Exchange.call_handler", "plugin intent handlers"),
    ("skill.host.runtime", "reply_problems", "  replies checked (any plugin's)"),
    ("skill.pipeline.exchange", "Exchange.broadcast", "hooks broadcast to every plugin"),
]
PHASES_CHILD = PHASE_TIMERS + r"""
import json, sys
event = json.load(open(sys.argv[1]))
COLD_TARGETS = json.loads(sys.argv[2])
started = time.perf_counter_ns()
from skill.lambda_function import handler
imported = time.perf_counter_ns()
spent = install_timers(COLD_TARGETS)  # after the import, so that it is timed alone
handler(event, None)
done = time.perf_counter_ns()
print(json.dumps({"imports": imported - started, "first request": done - imported, **spent}))
"""


def print_phases(title: str, spent: dict[str, float], total: float, unit: str, scale: float) -> None:
    print(title)
    for label, value in spent.items():
        print(f"  {value / scale:9.1f} {unit}  {100 * value / total:5.1f}%  {label}")


PROFILE_CHILD = r"""
import cProfile, json, pstats, sys
envelope_file, limit = sys.argv[1], int(sys.argv[2])
event = json.load(open(envelope_file))
profiler = cProfile.Profile()
profiler.enable()
from skill.lambda_function import handler
handler(event, None)
profiler.disable()
stats = pstats.Stats(profiler).strip_dirs()
stats.sort_stats("cumulative").print_stats(limit)
stats.sort_stats("tottime").print_stats(limit)
"""


def profile(what: str, limit: int, workdir: Path) -> None:
    import cProfile
    import pstats

    from skill.kit.device import SimulatedDevice

    envelope_file = workdir / "launch.json"
    envelope_file.write_text(json.dumps(SimulatedDevice("amzn1.ask.account.BENCH-COLD").launch()))
    env = _child_env(workdir / "profile.db")
    if what == "phases":
        samples: dict[str, list[int]] = {}
        for index in range(6):  # the first run writes .pyc files; the median of the others is shown
            done = subprocess.run([sys.executable, "-c", PHASES_CHILD, str(envelope_file), json.dumps(COLD_TARGETS)],
                                  cwd=ROOT, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(done.stderr)
            if index:
                for label, value in json.loads(done.stdout.strip().splitlines()[-1]).items():
                    samples.setdefault(label, []).append(value)
        order = ["imports", "first request"] + [label for _, _, label in COLD_TARGETS]
        cold = {label: statistics.median(samples[label]) for label in order if label in samples}
        total = cold["imports"] + cold["first request"]
        print_phases("cold start, in a fresh interpreter (median of 5; after the interpreter's own start):",
                     cold, total, "ms", 1e6)
        handler, app = build_ours(workdir)
        namespace: dict = {}
        exec(PHASE_TIMERS, namespace)
        spent = namespace["install_timers"](WARM_TARGETS)
        timings: dict[str, list[int]] = {}
        mix = Replay(app.adapter, User(handler, "amzn1.ask.account.BENCH-MIX", timings), realistic_mix, 7)
        routine = Replay(app.adapter, User(handler, "amzn1.ask.account.BENCH-ROUTINE", timings), whole_routine, 7)
        mix.prepare()
        routine.prepare()
        spent.clear()
        timings.clear()
        for _ in range(40):
            mix.run()
            routine.run()
        requests = sum(len(v) for v in timings.values())
        total = sum(flat(timings))
        print()
        print_phases(f"warm, the mix and the routine ({requests} requests, mean {total / requests / 1000:.0f} us "
                     "per request; shares of handler time, nested phases overlap):",
                     dict(sorted(spent.items(), key=lambda kv: -kv[1])), total, "us/req", requests * 1000)
    elif what == "first":  # imports, build, content validation and the first response, in a fresh process
        _spawn(["-c", "pass"], env)
        done = subprocess.run([sys.executable, "-c", PROFILE_CHILD, str(envelope_file), str(limit)],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        print(done.stdout or done.stderr)
    elif what == "imports":  # python -X importtime, summarised by top-level package
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", CHILD, "ours", str(envelope_file), str(HERE)],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        own: dict[str, int] = {}
        rows = []
        for line in done.stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
            if match:
                self_us, cumulative, indent, name = int(match[1]), int(match[2]), len(match[3]), match[4]
                own[name.split(".")[0]] = own.get(name.split(".")[0], 0) + self_us
                rows.append((cumulative, self_us, indent, name))
        total = sum(own.values())
        print(f"import self time by top-level package (total {total / 1000:.1f} ms):")
        for name, value in sorted(own.items(), key=lambda kv: -kv[1])[:limit]:
            print(f"  {name:<32}{value / 1000:9.1f} ms")
        print(f"\nslowest imports by cumulative time (top {limit}):")
        for cumulative, self_us, _indent, name in sorted(rows, reverse=True)[:limit]:
            print(f"  {cumulative / 1000:9.1f} ms  (self {self_us / 1000:6.1f})  {name}")
    elif what == "warm":  # the realistic mix and the whole routine, many iterations
        handler, app = build_ours(workdir)
        mix = Replay(app.adapter, User(handler, "amzn1.ask.account.BENCH-MIX", {}), realistic_mix, 7)
        routine = Replay(app.adapter, User(handler, "amzn1.ask.account.BENCH-ROUTINE", {}), whole_routine, 7)
        mix.prepare()
        routine.prepare()
        profiler = cProfile.Profile()  # enabled around handler(event, None) only
        mix.user.profiler = routine.user.profiler = profiler
        for _ in range(30):
            mix.run()
            routine.run()
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(limit)
        stats.sort_stats("tottime").print_stats(limit)


# -- main -----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run: fewer samples and iterations")
    parser.add_argument("--cold-samples", type=int, help="fresh interpreters per kind (default 15, quick 4)")
    parser.add_argument("--iterations", type=int,
                        help="iterations of the mix and of the routine (default 200, quick 16)")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-start measurement")
    parser.add_argument("--no-warm", action="store_true", help="skip the warm measurement")
    parser.add_argument("--show", action="store_true", help="print one iteration of each conversation and exit")
    parser.add_argument("--profile", choices=["phases", "warm", "first", "imports"],
                        help="where the time goes instead of benchmarking: timers on named phases (cold and "
                             "warm), cProfile of the warm turns or of a fresh process's first request, "
                             "python -X importtime")
    parser.add_argument("--limit", type=int, default=30, help="rows in profiles (default 30)")
    parser.add_argument("--all-plugins", action="store_true",
                        help="load every installed plugin, not only the built-ins")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    global ALL_PLUGINS
    ALL_PLUGINS = args.all_plugins
    samples = args.cold_samples or (4 if args.quick else 15)
    iterations = args.iterations or (16 if args.quick else 200)
    rounds = 4 if args.quick else 8

    with tempfile.TemporaryDirectory(prefix="stride-bench-") as tmp:
        workdir = Path(tmp)
        if args.profile:
            profile(args.profile, args.limit, workdir)
            return 0
        if args.show:
            handler, app = build_ours(workdir)
            for script, name in ((realistic_mix, "MIX"), (whole_routine, "ROUTINE")):
                replay = Replay(app.adapter, User(handler, f"amzn1.ask.account.BENCH-{name}", {}), script, 7)
                replay.prepare()
                print(f"{script.__name__}:")
                replay.user.show = True
                replay.run()
            for turn, problem in DIVERGED.items():
                print(f"WARNING {turn}: {problem}")
            return 0
        cold = None
        if not args.no_cold:
            print(f"cold start: {samples} fresh interpreters each for ours, bare and python -c pass ...", flush=True)
            cold = measure_cold(samples, workdir)
        warm = None
        if not args.no_warm:
            print(f"warm: {iterations} iterations of the mix and of the routine, in {rounds} rounds ...", flush=True)
            warm = measure_warm(iterations, rounds, workdir)
        figures = report(cold, warm, args)
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
