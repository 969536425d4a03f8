"""The DynamoDB store against moto in server mode: a real HTTP endpoint on loopback, no AWS.

The same persistence contract the SQLite store passes, the store's configuration and errors, and
the Lambda handler end to end with ``STRIDE_COACH_STORE=dynamodb``. Fake credentials are set for
every test, and the endpoint is always the local server, so nothing leaves the machine.
"""

from __future__ import annotations

import json
import uuid

import boto3
import pytest
from ask_sdk_core.exceptions import PersistenceException
from moto.server import ThreadedMotoServer
from persistence_contract import PersistenceContract, new_user
from person_contract import PersonContract

from skill import lambda_function
from skill.kit.device import SimulatedDevice
from skill.pipeline import app
from skill.store import adapter_from_env
from skill.store.dynamodb import (
    IAM_ACTIONS,
    PARTITION_KEY,
    SECTIONS,
    TABLE_KEY,
    WHOLE_DOCUMENT,
    DynamoDBAdapter,
)

REGION = "us-east-1"
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="session")
def moto_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def client(moto_endpoint):
    """A client of our own, to look at the table behind the adapter's back."""
    return boto3.client("dynamodb", region_name=REGION, endpoint_url=moto_endpoint, **FAKE_CREDENTIALS)


@pytest.fixture(scope="session")
def table(client):
    """One table for the session, created as serverless.yml declares it (on-demand, key ``id``)."""
    name = f"stride-coach-test-{uuid.uuid4().hex[:8]}"
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", **TABLE_KEY)
    client.get_waiter("table_exists").wait(TableName=name)
    return name


@pytest.fixture(autouse=True)
def fake_aws(monkeypatch, tmp_path):
    """Fake credentials and region only; a developer's ~/.aws and real keys are out of reach."""
    for name in ("AWS_PROFILE", "AWS_REGION", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
                 "STRIDE_COACH_TABLE", "STRIDE_COACH_DYNAMODB_ENDPOINT", "STRIDE_COACH_STORE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))


@pytest.fixture
def dynamodb_env(monkeypatch, moto_endpoint, table):
    """The environment serverless.yml gives the function, pointed at the local server."""
    monkeypatch.setenv("STRIDE_COACH_STORE", "dynamodb")
    monkeypatch.setenv("STRIDE_COACH_TABLE", table)
    monkeypatch.setenv("STRIDE_COACH_DYNAMODB_ENDPOINT", moto_endpoint)


class TestDynamoDBContract(PersistenceContract, PersonContract):
    @pytest.fixture
    def adapter(self, dynamodb_env):
        return adapter_from_env()

    @pytest.fixture
    def raw_store(self, client, table):
        """Every item of the table as the service returns it, keys and values alike."""
        def everything() -> bytes:
            pages = client.get_paginator("scan").paginate(TableName=table, ConsistentRead=True)
            return json.dumps([page["Items"] for page in pages]).encode()
        return everything


def test_store_from_env_is_dynamodb(dynamodb_env, table, moto_endpoint):
    adapter = adapter_from_env()
    assert isinstance(adapter, DynamoDBAdapter)
    assert (adapter.table_name, adapter.region_name, adapter.endpoint_url) == (table, REGION, moto_endpoint)


def test_lambda_region_wins_over_the_default_region(dynamodb_env, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    assert adapter_from_env().region_name == "eu-west-1"


def test_the_client_is_built_on_first_use(dynamodb_env):
    adapter = adapter_from_env()
    assert adapter._client is None
    adapter.get_attributes(new_user())
    assert adapter._client is not None


def test_missing_table_variable_is_named(monkeypatch):
    monkeypatch.setenv("STRIDE_COACH_STORE", "dynamodb")
    with pytest.raises(ValueError, match="STRIDE_COACH_TABLE"):
        adapter_from_env()


def test_missing_table_is_a_readable_error(moto_endpoint):
    adapter = DynamoDBAdapter("no-such-table", region_name=REGION, endpoint_url=moto_endpoint)
    with pytest.raises(PersistenceException, match=r"table 'no-such-table' does not exist in us-east-1"):
        adapter.get_attributes(new_user())


def test_missing_region_is_a_readable_error(monkeypatch, moto_endpoint):
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    adapter = DynamoDBAdapter("users", endpoint_url=moto_endpoint)
    with pytest.raises(PersistenceException, match="AWS_REGION or AWS_DEFAULT_REGION"):
        adapter.get_attributes(new_user())


def test_unreachable_endpoint_is_a_readable_error():
    adapter = DynamoDBAdapter("users", region_name=REGION, endpoint_url="http://127.0.0.1:9")
    with pytest.raises(PersistenceException, match=r"get_item on table 'users' .*failed"):
        adapter.get_attributes(new_user())


def test_item_layout(dynamodb_env, table, client):
    user = new_user()
    adapter_from_env().save_attributes(user, {"prefs": {"hold_scale": 1.5}})
    item = client.get_item(TableName=table, Key={PARTITION_KEY: {"S": user["context"]["System"]["user"]["userId"]}})
    assert item["Item"][SECTIONS] == {"M": {"prefs": {"S": '{"hold_scale":1.5}'}}}


def test_an_item_from_before_sections_is_read_and_rewritten_in_sections(dynamodb_env, table, client):
    user = new_user()
    key = {PARTITION_KEY: {"S": user["context"]["System"]["user"]["userId"]}}
    document = {"prefs": {"rate": 90}, "history": [{"date": "2026-11-20", "minutes": 9.5}]}
    client.put_item(TableName=table, Item={**key, WHOLE_DOCUMENT: {"S": json.dumps(document)}})
    adapter = adapter_from_env()
    assert adapter.get_attributes(user) == document
    adapter.save_attributes(user, {**document, "prefs": {"rate": 110}})
    item = client.get_item(TableName=table, Key=key)["Item"]
    assert WHOLE_DOCUMENT not in item
    assert adapter.get_attributes(user) == {**document, "prefs": {"rate": 110}}


def test_a_partial_write_keeps_the_sections_it_did_not_change(dynamodb_env, table):
    user = new_user()
    adapter = adapter_from_env()
    adapter.save_attributes(user, {"prefs": {"rate": 90}, "history": [1, 2, 3]})
    read = adapter.read_sections(user)
    adapter.write_sections(user, {"paused": '{"block":2}', "prefs": None}, read)
    assert adapter.get_attributes(user) == {"history": [1, 2, 3], "paused": {"block": 2}}


@pytest.fixture
def lambda_skill(dynamodb_env):
    app.reset_app()
    yield lambda_function.handler
    app.reset_app()


def test_lambda_handler_persists_to_dynamodb_and_forgets(lambda_skill, table, client):
    device = SimulatedDevice(f"amzn1.ask.account.e2e-{uuid.uuid4()}")
    key = {PARTITION_KEY: {"S": device.user_id}}
    calls: set[str] = set()
    app.get_app().adapter.client.meta.events.register(
        "before-call.dynamodb", lambda model, **_: calls.add(f"dynamodb:{model.name}"))

    def say(envelope: dict) -> str:
        response = lambda_skill(envelope, None)
        device.absorb(response)
        return response["response"]["outputSpeech"]["ssml"]

    assert "stretches" in say(device.launch())
    assert "longer" in say(device.intent("LongerHoldsIntent"))
    stored = client.get_item(TableName=table, Key=key)["Item"][SECTIONS]["M"]
    assert json.loads(stored["prefs"]["S"])["hold_scale"] == 1.25

    say(device.intent("ForgetMeIntent"))
    say(device.intent("AMAZON.YesIntent"))
    assert "Item" not in client.get_item(TableName=table, Key=key)
    assert calls == set(IAM_ACTIONS), "serverless.yml grants IAM_ACTIONS: exactly what the skill calls"


def test_lambda_handler_keeps_a_households_people_apart_and_forgets_one(lambda_skill, table, client):
    account = f"amzn1.ask.account.e2e-home-{uuid.uuid4()}"
    alice = SimulatedDevice(account, person_id=f"amzn1.ask.person.ALICE-{uuid.uuid4().hex}")
    bob = SimulatedDevice(account, person_id=f"amzn1.ask.person.BOB-{uuid.uuid4().hex}")

    def say(device: SimulatedDevice, envelope: dict) -> str:
        response = lambda_skill(envelope, None)
        device.absorb(response)
        return response["response"].get("outputSpeech", {}).get("ssml", "")

    for device, intent in ((alice, "LongerHoldsIntent"), (bob, "SlowerIntent")):
        assert f'personId="{device.person_id}"' in say(device, device.launch())
        say(device, device.intent(intent))
    say(alice, alice.intent("ForgetMeIntent"))
    say(alice, alice.intent("AMAZON.YesIntent"))
    items = client.scan(TableName=table, ConsistentRead=True)["Items"]
    ours = [item for item in items if item[PARTITION_KEY]["S"].startswith(account)]
    assert alice.person_id not in json.dumps(items)
    assert {item[PARTITION_KEY]["S"] for item in ours} == {account, f"{account}#person#{bob.person_id}"}
    bob_prefs = next(item for item in ours if bob.person_id in item[PARTITION_KEY]["S"])[SECTIONS]["M"]["prefs"]
    assert json.loads(bob_prefs["S"]) == {"rate": 90}
