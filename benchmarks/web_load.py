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

def serve(ready, verify: bool, root_pem: bytes, chain_pem: bytes, db: str, threads: int) -> None:
    from skill.pipeline.app import SkillApp, load_from_env
    from skill.store import SQLiteAdapter
    from skill.web.certs import load_roots
    from skill.web.flask_app import create_app
    from skill.web.server import Server, stop_on_signals
    from skill.web.verifier import RequestVerifier

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "queue depth" is the point here
    adapter = SQLiteAdapter(db)
    skill = SkillApp(load_from_env(), adapter, [SKILL_ID])
    verifier = (RequestVerifier([SKILL_ID], roots=load_roots(root_pem), fetcher=FakeFetcher({CHAIN_URL: chain_pem}))
                if verify else None)
    server = Server(create_app(skill, verifier), "127.0.0.1", 0, threads=threads)
    ready.send(server.address[1])
    with stop_on_signals(server):
        server.serve_forever()
    adapter.close()


# -- the clients ---------------------------------------------------------------------------------

@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


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
    with tempfile.TemporaryDirectory() as tmp:
        server = context.Process(target=serve, args=(send, verify, pem(*pki.roots), pki.signer.chain_pem,
                                                     str(Path(tmp) / "bench.db"), args.threads))
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
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            server.terminate()  # SIGTERM: the graceful stop
            server.join(30)
    return Tally([x for t in tallies for x in t.latencies], sum(t.errors for t in tallies))


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
    args = parser.parse_args(argv)

    pki = TestPKI()
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
    overhead = on.p50_ms / off.p50_ms - 1
    print(f"median overhead of verification: {overhead * 100:+.1f}% (p50 {on.p50_ms:.2f} ms vs {off.p50_ms:.2f} ms; "
          f"target < 20%); throughput ratio {on.throughput / off.throughput:.2f}")
    return 1 if on.errors or off.errors else 0


if __name__ == "__main__":
    sys.exit(main())
