"""A plugin bringing an exercise that fails the exercise schema (a 300 s hold; the maximum is 120)."""

from pathlib import Path

from skill import hookimpl


@hookimpl
def register_content(register):
    register("exercise", Path(__file__).parent / "exercises")
