"""AWS Lambda entry point: ``skill/lambda_function.handler``."""

from __future__ import annotations

from typing import Any

from .app import get_app


def handler(event: dict, context: Any) -> dict:
    """Answer one Alexa request envelope; the skill is built on the first call of a container."""
    return get_app().handle(event, context)
