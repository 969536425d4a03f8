"""AWS Lambda entry point: ``skill/lambda_function.handler``.

Under SnapStart (serverless.yml), Lambda initialises the function once, snapshots it and restores
copies of the snapshot for cold starts. So the skill is built during initialisation, with the store's
client made and its service model loaded, and each restored copy then makes fresh connections and
reseeds ``random``: copies of one snapshot must not share sockets or random sequences.
"""

from __future__ import annotations

import os
import random
from typing import Any

from skill.pipeline.app import get_app


def handler(event: dict, context: Any) -> dict:
    """Answer one Alexa request envelope; the skill is built on the first call of a container.

    The runtime parses each invocation's event afresh and never reads it again, so the skill uses
    its session attributes in place (``owned``) instead of copying them.
    """
    return get_app().handle(event, context, owned=True)


def prepare_snapshot() -> None:
    """Build what every request needs before the snapshot is taken: plugins, content, the store client."""
    adapter = get_app().adapter
    if hasattr(adapter, "reconnect"):
        getattr(adapter, "client")  # noqa: B009 - the property imports boto3 and loads DynamoDB's service model into the snapshot


def after_restore() -> None:
    random.seed()
    reconnect = getattr(get_app().adapter, "reconnect", None)
    if reconnect is not None:
        reconnect()


if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start":
    # snapshot_restore_py ships in Lambda's Python runtimes (3.12 and later); hooks in a module the
    # handler imports are the ones Lambda runs.
    from snapshot_restore_py import register_after_restore

    prepare_snapshot()
    register_after_restore(after_restore)
