"""The AWS store: an ask-sdk persistence adapter on a DynamoDB table, through boto3 directly.

One item per owner (an account's shared profile, or one recognised person of it, see
``skill.store.owner``): the partition key ``id`` and the owner's sections (see
``skill.store.sections``) in the map ``sections``, each section's JSON text as a string rather
than a DynamoDB value. The skill never queries inside them, and a string gives back exactly what
was saved, as the SQLite store does: a DynamoDB number would come back as ``Decimal``, turn ``1.0``
into ``1``, and refuse floats on the way in. A write updates only the sections the request
changed, each on condition that it still holds what the request read (see ``write_sections``).
An item from before sections (one ``attributes`` string) is read as sections and rewritten in the
new layout by its next save. A user's item stays far
below DynamoDB's 400 KB limit (the history is capped).

``ask_sdk_dynamodb`` is not used: its module builds a boto3 resource at import time and fails
without an AWS region. Here boto3 is imported, and its client built, on the first request; Lambda
provides boto3, so the deployment package does not ship it.
"""

from __future__ import annotations

import contextlib
import os
import threading
from datetime import UTC, datetime
from typing import Any, NoReturn

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException

from skill.store.base import SectionedStore
from skill.store.owner import owner_key_of
from skill.store.sections import Changes, Sections, decode, encode_sections, merge_change

PARTITION_KEY = "id"
SECTIONS = "sections"
WHOLE_DOCUMENT = "attributes"  # the layout before sections
TABLE_VARIABLE = "STRIDE_COACH_TABLE"
ENDPOINT_VARIABLE = "STRIDE_COACH_DYNAMODB_ENDPOINT"

# Every call the adapter makes; serverless.yml grants the function these and nothing more.
IAM_ACTIONS = ("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem")
WRITE_ATTEMPTS = 4
# The key the adapter expects of its table; serverless.yml declares the same, and a test checks they agree.
TABLE_KEY = {
    "KeySchema": [{"AttributeName": PARTITION_KEY, "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": PARTITION_KEY, "AttributeType": "S"}],
}

# Alexa waits 8 seconds for an answer. botocore's defaults (60 s reads, up to 5 attempts) would outlast
# it; with these one call gives up within 3 s, so a turn's read and write together stay within 6 s,
# leaving time to apologise. DynamoDB answers in milliseconds; the client is made once per container.
CLIENT_CONFIG = {"connect_timeout": 0.5, "read_timeout": 1.0, "retries": {"total_max_attempts": 2, "mode": "standard"},
                 "max_pool_connections": 10, "tcp_keepalive": True}


class _Conflict(Exception):
    """A conditional write found the item changed since it was read."""


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
        self._session: Any = None
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        """The boto3 DynamoDB client, created on first use rather than at import or construction."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._make_client()
        return self._client

    def reconnect(self) -> None:
        """Forget the client's connections (after a SnapStart restore: copies restored from one
        snapshot must not share sockets). The next call makes a client from the same boto3 session,
        whose service model is already loaded, so it costs little."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()

    def _make_client(self) -> Any:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import NoRegionError

        if self._session is None:
            self._session = boto3.session.Session()
        try:
            return self._session.client(
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
        """Write only the changed sections, each on condition that it still holds what this request
        read; when another request changed one meanwhile, its change and this one are merged
        (``merge_change``) and the write is tried again. Concurrent turns of one user on two devices
        so keep each other's changes instead of the last whole-item put winning."""
        user_id = owner_key_of(request_envelope)
        for _ in range(WRITE_ATTEMPTS):
            if not changes:
                return
            try:
                self._conditional_write(user_id, changes, read)
                return
            except _Conflict:
                item = self._call("get_item", Key=self._key(user_id), ConsistentRead=True).get("Item") or {}
                if WHOLE_DOCUMENT in item and SECTIONS not in item:  # the layout before sections
                    self._put_whole(user_id, {**encode_sections(decode(item[WHOLE_DOCUMENT]["S"])), **changes})
                    return
                current = {name: value["S"] for name, value in item.get(SECTIONS, {}).get("M", {}).items()}
                merged = {name: merge_change(read.get(name), text, current.get(name)) for name, text in changes.items()}
                changes = {name: text for name, text in merged.items() if text != current.get(name)}
                read = current
        raise PersistenceException(f"DynamoDB: user item kept changing under {WRITE_ATTEMPTS} writes; not saved")

    def _conditional_write(self, user_id: str, changes: Changes, read: Sections) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        updated = {"S": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
        try:
            if not read:  # no sections were stored: add them, unless another request just did
                kept = {name: {"S": text} for name, text in changes.items() if text is not None}
                self.client.update_item(TableName=self.table_name, Key=self._key(user_id),
                                        UpdateExpression="SET #sections = :sections, #updated = :updated",
                                        ConditionExpression="attribute_not_exists(#sections)",
                                        ExpressionAttributeNames={"#sections": SECTIONS, "#updated": "updated_at"},
                                        ExpressionAttributeValues={":sections": {"M": kept}, ":updated": updated})
                return
            names = {"#sections": SECTIONS, "#updated": "updated_at"}
            values: dict[str, Any] = {":updated": updated}
            sets, removes, conditions = ["#updated = :updated"], [], ["attribute_exists(#sections)"]
            for i, (name, text) in enumerate(changes.items()):
                names[f"#s{i}"] = name
                if text is None:
                    removes.append(f"#sections.#s{i}")
                else:
                    values[f":v{i}"] = {"S": text}
                    sets.append(f"#sections.#s{i} = :v{i}")
                if name in read:
                    values[f":r{i}"] = {"S": read[name]}
                    conditions.append(f"#sections.#s{i} = :r{i}")
                else:
                    conditions.append(f"attribute_not_exists(#sections.#s{i})")
            expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
            self.client.update_item(TableName=self.table_name, Key=self._key(user_id), UpdateExpression=expression,
                                    ConditionExpression=" AND ".join(conditions), ExpressionAttributeNames=names,
                                    ExpressionAttributeValues=values)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise _Conflict from None
            self._call_failed("update_item", error)
        except BotoCoreError as error:
            self._call_failed("update_item", error)

    def _put_whole(self, user_id: str, sections: Changes) -> None:
        """Rewrite an item of the layout before sections in the sections layout."""
        kept = {name: {"S": text} for name, text in sections.items() if text is not None}
        updated = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self._call("update_item", Key=self._key(user_id),
                   UpdateExpression="SET #sections = :sections, #updated = :updated REMOVE #whole",
                   ExpressionAttributeNames={"#sections": SECTIONS, "#updated": "updated_at", "#whole": WHOLE_DOCUMENT},
                   ExpressionAttributeValues={":sections": {"M": kept}, ":updated": {"S": updated}})

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
            self._call_failed(operation, error)

    def _call_failed(self, operation: str, error: Exception) -> NoReturn:
        """AWS errors as a PersistenceException that says what to check."""
        from botocore.exceptions import ClientError

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
