"""A plugin bringing a routine that refers to an exercise no plugin brings."""

from pathlib import Path

from skill import hookimpl


@hookimpl
def register_content(register):
    register("routine", Path(__file__).parent / "routines")
