"""Load benchmark for ``POST /alexa``: what does request verification cost once the chain is cached?

Starts the web service (waitress, the Flask app, the skill with its built-in plugins, a fresh
SQLite file) in a child process on loopback, then drives it from several client threads with
signed requests for a fixed time: first with verification on, then off. Each client is a simulated
device going through launch, a preference change (a write), help and stop, on a keep-alive
connection. The certificate chain comes from a PKI generated for the run (tests/web_pki.py) and is
cached after the first request, as it is in production after the first download.

    python benchmarks/web_load.py [--seconds 10] [--clients 8] [--threads 8]

Prints throughput and p50/p99 latency for each run and the median overhead of verification
(target: under 20 %).
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # web_pki: the test PKI and request signer

from web_pki import CHAIN_URL, FakeFetcher, Signer, TestPKI, pem  # noqa: E402

from skill.kit.device import SimulatedDevice  # noqa: E402

SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-0000benchmark"


# -- the server (child process, so that clients and server do not share a GIL) --------------------

class SlowMisses(FakeFetcher):
    """The chain at once; any other URL answered "not found" after ``delay`` seconds, as S3 does from afar."""

    def __init__(self, chains: dict[str, bytes], delay: float) -> None:
        super().__init__(chains)
        self.delay = delay

    def __call__(self, url: str) -> bytes:
        if url not in self.chains:
            time.sleep(self.delay)
        return super().__call__(url)


class Counted:
    """The WSGI app, counting the requests it answers (the server's CPU is divided by them)."""

    def __init__(self, app) -> None:
        self.app, self.requests = app, 0

    def __call__(self, environ, start_response):
        self.requests += 1
        return self.app(environ, start_response)


def serve(ready, verify: bool, root_pem: bytes, chain_pem: bytes, db: str, threads: int,
          miss_delay: float = 0.1, cpus: set[int] | None = None) -> None:
    if cpus:
        os.sched_setaffinity(0, cpus)
    from skill.pipeline.app import SkillApp, load_from_env
    from skill.store import SQLiteAdapter
    from skill.web.certs import load_roots
    from skill.web.flask_app import create_app
    from skill.web.server import Server, stop_on_signals
    from skill.web.verifier import RequestVerifier

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "queue depth" is the point here
    adapter = SQLiteAdapter(db)
    skill = SkillApp(load_from_env(), adapter, [SKILL_ID])
    verifier = (RequestVerifier([SKILL_ID], roots=load_roots(root_pem),
                                fetcher=SlowMisses({CHAIN_URL: chain_pem}, miss_delay)) if verify else None)
    app = Counted(create_app(skill, verifier))
    server = Server(app, "127.0.0.1", 0, threads=threads)
    ready.send(server.address[1])
    # CPU of this process only (every server thread), from the first request the clients send.
    cpu_at_start = time.process_time()
    with stop_on_signals(server):
        server.serve_forever()
    ready.send({"cpu_s": time.process_time() - cpu_at_start, "requests": app.requests})
    adapter.close()


# -- the clients ---------------------------------------------------------------------------------

@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    cpu_us_per_request: float = 0.0


def client(port: int, signer: Signer, n: int, warm_until: float, stop_at: float, tally: Tally) -> None:
    device = SimulatedDevice(f"amzn1.ask.account.BENCH-{n}", skill_id=SKILL_ID)
    turns = [device.launch, lambda: device.intent("LongerHoldsIntent"),
             lambda: device.intent("AMAZON.HelpIntent"), lambda: device.intent("AMAZON.StopIntent")]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    turn = 0
    while time.perf_counter() < stop_at:
        body = json.dumps(turns[turn % len(turns)]()).encode()
        headers = {"Content-Type": "application/json", **signer.headers(body)}
        began = time.perf_counter()
        try:
            conn.request("POST", "/alexa", body=body, headers=headers)
            answer = conn.getresponse()
            data = answer.read()
            ok = answer.status == 200
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            ok, data = False, b""
        elapsed = time.perf_counter() - began
        if began >= warm_until:
            if ok:
                tally.latencies.append(elapsed)
            else:
                tally.errors += 1
        if ok:
            device.absorb(json.loads(data))
        turn += 1
    conn.close()


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    index = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


@dataclass
class Result:
    label: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def line(self) -> str:
        return (f"{self.label:<16} {self.requests:>7} req  {self.errors:>4} errors  "
                f"{self.throughput:>8.1f} req/s  p50 {self.p50_ms:6.2f} ms  p99 {self.p99_ms:6.2f} ms")


def run_phase(verify: bool, pki: TestPKI, args: argparse.Namespace) -> Tally:
    """One run of the server: every client's measured latencies and errors, pooled."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    attackers = getattr(args, "attackers", 0)
    with tempfile.TemporaryDirectory() as tmp:
        server_cpus, client_cpus = split_cpus(getattr(args, "pin", False))
        server = context.Process(target=serve, args=(send, verify, pem(*pki.roots), pki.signer.chain_pem,
                                                     str(Path(tmp) / "bench.db"), args.threads, 0.1, server_cpus))
        server.start()
        try:
            if not receive.poll(60):
                raise RuntimeError("the server did not start")
            port = receive.recv()
            warm_until = time.perf_counter() + args.warmup
            stop_at = warm_until + args.seconds
            tallies = [Tally() for _ in range(args.clients)]
            threads = [threading.Thread(target=client, args=(port, pki.signer, n, warm_until, stop_at, t))
                       for n, t in enumerate(tallies)]
            # The attackers run in a process of their own, so that they do not share the genuine
            # client's interpreter lock: only the server is shared, as in a real attack.
            flooding = context.Process(target=attack, args=(port, attackers, args.warmup + args.seconds,
                                                           getattr(args, "control", False), client_cpus)) \
                if attackers else None
            if client_cpus:
                os.sched_setaffinity(0, client_cpus)
            if flooding:
                flooding.start()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if flooding:
                flooding.join(60)
        finally:
            if client_cpus:
                os.sched_setaffinity(0, range(os.cpu_count() or 1))
            server.terminate()  # SIGTERM: the graceful stop
            server.join(30)
            usage = receive.recv() if receive.poll(10) else {"cpu_s": float("nan"), "requests": 1}
    pooled = Tally([x for t in tallies for x in t.latencies], sum(t.errors for t in tallies))
    pooled.cpu_us_per_request = usage["cpu_s"] / max(1, usage["requests"]) * 1e6
    return pooled


def split_cpus(pin: bool) -> tuple[set[int] | None, set[int] | None]:
    """With ``pin``: the server on the first CPU, the clients (genuine and attacking) on the others,
    as when attackers are elsewhere on the internet and only the server's own CPU is spent on them."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if not pin or len(cpus) < 2:
        return None, None
    return {cpus[0]}, set(cpus[1:])


def attack(port: int, connections: int, seconds: float, control: bool, cpus: set[int] | None = None) -> None:
    if cpus:
        os.sched_setaffinity(0, cpus)
    stop_at = time.perf_counter() + seconds
    threads = [threading.Thread(target=attacker, args=(port, n, stop_at, control)) for n in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def attacker(port: int, n: int, stop_at: float, control: bool = False) -> None:
    """Unsigned requests naming chains that do not exist, and the real chain's URL with query strings;
    as a control, requests naming the real chain as it is (cached: only the signature fails)."""
    i = 0
    while time.perf_counter() < stop_at:
        i += 1
        missing = CHAIN_URL.replace(".pem", f"-{n}-{i}.pem") if i % 2 else f"{CHAIN_URL}?v={n}-{i}"
        url = CHAIN_URL if control else missing
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("POST", "/alexa", body=b"{}", headers={"SignatureCertChainUrl": url, "Signature-256": "AAAA"})
            conn.getresponse().read()
        except (OSError, http.client.HTTPException):
            pass
        finally:
            conn.close()


def summarise(label: str, tallies: list[Tally], seconds: float) -> Result:
    latencies = sorted(x for t in tallies for x in t.latencies)
    if not latencies:
        raise RuntimeError(f"{label}: no request succeeded")
    return Result(label, len(latencies), sum(t.errors for t in tallies), seconds,
                  percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000)


def verify_cost_us(pki: TestPKI, iterations: int = 2000) -> float:
    """CPU time of one verification with the chain cached, without HTTP or the skill around it."""
    from skill.web.verifier import RequestVerifier

    verifier = RequestVerifier([SKILL_ID], roots=pki.roots, fetcher=FakeFetcher({CHAIN_URL: pki.signer.chain_pem}))
    body = json.dumps(SimulatedDevice("amzn1.ask.account.BENCH", skill_id=SKILL_ID).launch()).encode()
    headers = pki.signer.headers(body)
    verifier.verify(headers, body)  # download and validate the chain once
    began = time.perf_counter()
    for _ in range(iterations):
        verifier.verify(headers, body)
    return (time.perf_counter() - began) / iterations * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per run (default: 10)")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured time first (default: 1)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads (default: 8)")
    parser.add_argument("--threads", type=int, default=8, help="server worker threads (default: 8)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="runs per mode, alternating on and off to even out drift (default: 2)")
    parser.add_argument("--flood", action="store_true",
                        help="instead: one genuine client's p50 with 0, 32 and 64 attacker connections")
    parser.add_argument("--pin", action="store_true",
                        help="the server on a CPU of its own, clients and attackers on the others (Linux)")
    args = parser.parse_args(argv)

    pki = TestPKI()
    if args.flood:
        return flood(pki, args)
    print(f"{args.clients} clients, {args.threads} server threads, {args.rounds} x {args.seconds:g} s per mode "
          f"after {args.warmup:g} s warm-up each, loopback, SQLite store", flush=True)
    runs: dict[bool, list[Tally]] = {True: [], False: []}
    for round_no in range(args.rounds):
        for verify in (True, False):
            tally = run_phase(verify, pki, args)
            runs[verify].append(tally)
            label = f"  run {round_no + 1} {'on' if verify else 'off'}"
            print(summarise(label, [tally], args.seconds).line(), flush=True)
    on = summarise("verification on", runs[True], args.seconds * args.rounds)
    off = summarise("verification off", runs[False], args.seconds * args.rounds)
    print(on.line())
    print(off.line())
    print(f"verify() alone, chain cached: {verify_cost_us(pki):.0f} us per request")
    cpu_on = sum(t.cpu_us_per_request for t in runs[True]) / len(runs[True])
    cpu_off = sum(t.cpu_us_per_request for t in runs[False]) / len(runs[False])
    print(f"server CPU per request, measured in the server process: on {cpu_on:.0f} us, off {cpu_off:.0f} us "
          f"({(cpu_on / cpu_off - 1) * 100:+.1f}% for verification)")
    overhead = on.p50_ms / off.p50_ms - 1
    print(f"median overhead of verification: {overhead * 100:+.1f}% (p50 {on.p50_ms:.2f} ms vs {off.p50_ms:.2f} ms; "
          f"target < 20%); throughput ratio {on.throughput / off.throughput:.2f}")
    return 1 if on.errors or off.errors else 0


def flood(pki: TestPKI, args: argparse.Namespace) -> int:
    """Genuine p50 with no attacker, then with 32 and 64 attacker connections; S3 answers misses in 100 ms.

    Each "control" runs as many connections sending requests that name the cached chain (their
    signature fails): what the same volume of bad requests costs when no download is involved, so
    the difference from it is what the certificate cache adds.
    """
    args.clients = 1
    quiet = None
    print("one genuine client; attackers send unsigned requests naming missing chains and query strings"
          + ("; the server pinned to a CPU of its own" if getattr(args, "pin", False) else "; CPUs shared"))
    for attackers, control in ((0, False), (32, False), (32, True), (64, False), (64, True)):
        args.attackers, args.control = attackers, control
        tally = run_phase(True, pki, args)
        label = f"  {attackers} {'control' if control else 'attackers'}"
        result = summarise(label, [tally], args.seconds)
        quiet = quiet or result.p50_ms
        print(f"{result.line()}  ({result.p50_ms / quiet:.2f}x the quiet p50)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
