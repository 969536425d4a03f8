"""AWS Lambda entry point: ``skill/lambda_function.handler``."""

from __future__ import annotations

from typing import Any

from skill.pipeline.app import get_app


def handler(event: dict, context: Any) -> dict:
    """Answer one Alexa request envelope; the skill is built on the first call of a container.

    The runtime parses each invocation's event afresh and never reads it again, so the skill uses
    its session attributes in place (``owned``) instead of copying them.
    """
    return get_app().handle(event, context, owned=True)
