"""The AWS store: an ask-sdk persistence adapter on a DynamoDB table, through boto3 directly.

One item per owner (an account's shared profile, or one recognised person of it, see
``skill.store.owner``): the partition key ``id`` and the owner's sections (see
``skill.store.sections``) in the map ``sections``, each section's JSON text as a string rather
than a DynamoDB value. The skill never queries inside them, and a string gives back exactly what
was saved, as the SQLite store does: a DynamoDB number would come back as ``Decimal``, turn ``1.0``
into ``1``, and refuse floats on the way in. A write puts the whole item, with the sections the
request did not change as it read them. An item from before sections (one ``attributes`` string)
is read as sections and rewritten in the new layout by its next save. A user's item stays far
below DynamoDB's 400 KB limit (the history is capped).

``ask_sdk_dynamodb`` is not used: its module builds a boto3 resource at import time and fails
without an AWS region. Here boto3 is imported, and its client built, on the first request; Lambda
provides boto3, so the deployment package does not ship it.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException

from skill.store.base import SectionedStore
from skill.store.owner import owner_key_of
from skill.store.sections import Changes, Sections, decode, encode_sections

PARTITION_KEY = "id"
SECTIONS = "sections"
WHOLE_DOCUMENT = "attributes"  # the layout before sections
TABLE_VARIABLE = "STRIDE_COACH_TABLE"
ENDPOINT_VARIABLE = "STRIDE_COACH_DYNAMODB_ENDPOINT"

# Every call the adapter makes; serverless.yml grants the function these and nothing more.
IAM_ACTIONS = ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem")
# The key the adapter expects of its table; serverless.yml declares the same, and a test checks they agree.
TABLE_KEY = {
    "KeySchema": [{"AttributeName": PARTITION_KEY, "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": PARTITION_KEY, "AttributeType": "S"}],
}

# Alexa waits 8 seconds for an answer. botocore's defaults (60 s reads, up to 5 attempts) would outlast
# it; these give up within about 7 s, leaving time to apologise. DynamoDB answers in milliseconds.
CLIENT_CONFIG = {"connect_timeout": 1, "read_timeout": 2, "retries": {"max_attempts": 2, "mode": "standard"}}


class DynamoDBAdapter(SectionedStore, AbstractPersistenceAdapter):
    """Per-user attributes in a table whose partition key is ``id`` (a string).

    The adapter uses a low-level client, not a resource: clients are thread-safe, so one adapter can
    serve concurrent requests, and items this simple need no type serializer.
    """

    def __init__(self, table_name: str, region_name: str | None = None, endpoint_url: str | None = None) -> None:
        self.table_name = table_name
        self.region_name = region_name
        self.endpoint_url = endpoint_url
        self._client: Any = None
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        """The boto3 DynamoDB client, created on first use rather than at import or construction."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._make_client()
        return self._client

    def _make_client(self) -> Any:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import NoRegionError

        try:
            return boto3.session.Session().client(
                "dynamodb", region_name=self.region_name, endpoint_url=self.endpoint_url,
                config=Config(**CLIENT_CONFIG))
        except NoRegionError:
            raise PersistenceException(
                f"the DynamoDB store needs an AWS region: set AWS_REGION or AWS_DEFAULT_REGION "
                f"(table {self.table_name!r})") from None

    def read_sections(self, request_envelope: Any) -> Sections:
        user_id = owner_key_of(request_envelope)
        # A strongly consistent read: a user's next request can arrive within a second of a save.
        item = self._call("get_item", Key=self._key(user_id), ConsistentRead=True).get("Item") or {}
        if SECTIONS in item:
            return {name: value["S"] for name, value in item[SECTIONS]["M"].items()}
        if WHOLE_DOCUMENT in item:
            return encode_sections(decode(item[WHOLE_DOCUMENT]["S"]))
        return {}

    def write_sections(self, request_envelope: Any, changes: Changes, read: Sections) -> None:
        user_id = owner_key_of(request_envelope)
        sections = {**read, **changes}
        kept = {name: {"S": text} for name, text in sections.items() if text is not None}
        if not kept:
            self._call("delete_item", Key=self._key(user_id))
            return
        updated = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self._call("put_item", Item={**self._key(user_id), SECTIONS: {"M": kept}, "updated_at": {"S": updated}})

    def delete_attributes(self, request_envelope: Any) -> None:
        self._call("delete_item", Key=self._key(owner_key_of(request_envelope)))

    def _key(self, user_id: str) -> dict:
        return {PARTITION_KEY: {"S": user_id}}

    def _call(self, operation: str, **arguments: Any) -> dict:
        """One table operation; AWS errors become a PersistenceException that says what to check."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(TableName=self.table_name, **arguments)
        except (ClientError, BotoCoreError) as error:
            code = error.response.get("Error", {}).get("Code") if isinstance(error, ClientError) else None
            if code == "ResourceNotFoundException":
                raise PersistenceException(
                    f"DynamoDB table {self.table_name!r} does not exist{self._where()}: deploy the stack "
                    f"(serverless.yml creates it) or set {TABLE_VARIABLE} to an existing table") from error
            raise PersistenceException(
                f"DynamoDB {operation} on table {self.table_name!r}{self._where()} failed: {error}") from error

    def _where(self) -> str:
        region = self.client.meta.region_name
        return f" in {region}" + (f" at {self.endpoint_url}" if self.endpoint_url else "")


def adapter_from_env() -> DynamoDBAdapter:
    """The adapter configured by the environment, as serverless.yml sets it on Lambda.

    ``STRIDE_COACH_TABLE`` names the table (required); the region comes from ``AWS_REGION`` (set by
    Lambda) or ``AWS_DEFAULT_REGION``; ``STRIDE_COACH_DYNAMODB_ENDPOINT`` points at a local
    DynamoDB or moto server instead of AWS.
    """
    table = os.environ.get(TABLE_VARIABLE, "").strip()
    if not table:
        raise ValueError(f"STRIDE_COACH_STORE=dynamodb needs {TABLE_VARIABLE}, the name of the DynamoDB table")
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None
    endpoint = os.environ.get(ENDPOINT_VARIABLE, "").strip() or None
    return DynamoDBAdapter(table, region_name=region, endpoint_url=endpoint)
