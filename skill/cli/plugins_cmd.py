"""``stride-coach plugins``: each plugin, its status, version, intents and content."""

from __future__ import annotations

import argparse
import json

from skill.pipeline.app import load_from_env


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON list for scripts")


def run(args: argparse.Namespace) -> int:
    host = load_from_env(strict=False)
    records = [r.as_dict() for r in host.records.values()]
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
        print(line)
    return 0
