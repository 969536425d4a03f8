"""``stride-coach``: chat, web, validate, plugins, models, serve, package, new-plugin."""

from __future__ import annotations

import argparse
import logging
import sys
from importlib import import_module

COMMANDS = {
    "chat": ("skill.cli.chat", "Talk to the skill in the terminal, one utterance per line."),
    "validate": ("skill.cli.validate", "Check all content, plugins and interaction models."),
    "plugins": ("skill.cli.plugins_cmd", "List plugins with their status, version, intents and content."),
    "models": ("skill.cli.models", "Write (or --check) the interaction models from the loaded plugins."),
    "web": ("skill.cli.web", "Open the browser coach: a local page that speaks the coaching and shows the screen."),
    "serve": ("skill.cli.serve", "Serve the skill over HTTP at POST /alexa with request verification."),
    "package": ("skill.cli.package", "Assemble a skill package (skill.json and interaction models)."),
    "new-plugin": ("skill.cli.new_plugin", "Scaffold a pip-installable third-party plugin package."),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="stride-coach",
                                     description="Stride Coach, an Alexa skill for runners with lower back pain.")
    parser.add_argument("--verbose", "-v", action="store_true", help="log debug details to stderr")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = {}
    for name, (module_name, help_text) in COMMANDS.items():
        try:
            module = import_module(module_name)
        except ImportError as exc:  # a command whose optional dependencies are missing
            sub = commands.add_parser(name, help=f"{help_text} (unavailable: {exc})")
            sub.set_defaults(unavailable=str(exc))
            continue
        sub = commands.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(sub)
        modules[name] = module
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.command is None:
        parser.print_help()
        return 2
    if getattr(args, "unavailable", None):
        print(f"stride-coach {args.command}: not available: {args.unavailable}", file=sys.stderr)
        return 2
    return modules[args.command].run(args) or 0


if __name__ == "__main__":
    sys.exit(main())
