"""``stride-coach plugins``: each plugin, its status, version, intents and content, and what went
wrong at run time (failures and cut-offs the running skill counted, see skill.host.runtime)."""

from __future__ import annotations

import argparse
import json

from skill.pipeline.app import load_from_env


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON list for scripts")


def run(args: argparse.Namespace) -> int:
    host = load_from_env(strict=False)
    health = host.health.read()
    records = [{**r.as_dict(), "runtime": health.get(r.name)} for r in host.records.values()]
    if args.json:
        print(json.dumps(records, indent=2))
        return 0
    for record in records:
        version = record["version"] or "-"
        line = f"{record['name']:<20} {record['status']:<8} {version:<10}"
        if record["status"] == "failed":
            line += f" error: {record['error']}"
        else:
            content = ", ".join(f"{n} {k}" for k, n in sorted(record["content"].items())) or "no content"
            line += f" intents: {', '.join(record['intents']) or '-'}; content: {content}"
        runtime = record["runtime"]
        if runtime:
            cut = f", cut off {runtime.get('cut_off', 0)} time(s)" if runtime.get("cut_off") else ""
            line += (f"\n{'':<20} run-time failures: {runtime.get('failures', 0)}{cut}; "
                     f"last: {runtime.get('last')} ({runtime.get('at')})")
        print(line)
    return 0
