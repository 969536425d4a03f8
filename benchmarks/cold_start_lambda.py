"""Cold start of the Lambda zip as deployed, on DynamoDB, against a bare ask-sdk skill on the same table.

    python benchmarks/cold_start_lambda.py [--samples 15] [--zip build/stride-coach-lambda.zip]
                                           [--python PATH] [--boto3 DIR]

What Lambda runs: the zip scripts/build_lambda.py builds (bytecode for Python 3.13, the validation
cache), unzipped, on a Python 3.13 with nothing else on its path but boto3 (which Lambda provides:
``--boto3`` is a folder holding it for that Python, e.g. ``pip install --target DIR boto3``). The
store is DynamoDB, served by moto on loopback with a table like serverless.yml's.

Each sample is a fresh interpreter that imports the handler and answers one request: the first
invocation of a cold container, "make the holds longer", which reads the user (GetItem) and saves
the change (UpdateItem). The bare skill, in the same run on the same interpreter and path, is
ask-sdk-core with one LaunchRequest handler that makes the same store calls (a boto3 client created
at import, GetItem, then PutItem). Ours and bare alternate, so drift
on the machine falls on both. The figure is the median wall time of the child process, and the
ratio ours / bare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REGION = "us-east-1"

BARE_SKILL = '''
import os, boto3
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder

client = boto3.session.Session().client("dynamodb", region_name=os.environ["AWS_DEFAULT_REGION"],
                                        endpoint_url=os.environ["STRIDE_COACH_DYNAMODB_ENDPOINT"])
TABLE = os.environ["STRIDE_COACH_TABLE"]


class Launch(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return handler_input.request_envelope.request.object_type == "LaunchRequest"

    def handle(self, handler_input):
        key = {"id": {"S": handler_input.request_envelope.context.system.user.user_id}}
        item = client.get_item(TableName=TABLE, Key=key, ConsistentRead=True).get("Item") or {}
        launches = int(item.get("launches", {}).get("N", "0")) + 1
        client.put_item(TableName=TABLE, Item={**key, "launches": {"N": str(launches)}})
        return (handler_input.response_builder.speak("Welcome back.").ask("What would you like to do?")
                .set_should_end_session(False).response)


sb = SkillBuilder()
sb.add_request_handler(Launch())
handler = sb.lambda_handler()
'''

CHILD = r'''
import json, sys, time
started = time.perf_counter()
sys.path[:0] = sys.argv[1].split(":")
module = __import__(sys.argv[2], fromlist=["handler"])
event = json.loads(sys.argv[3])
answer = module.handler(event, None)
print(json.dumps({"ms": (time.perf_counter() - started) * 1000, "speech": answer["response"]["outputSpeech"]["ssml"]}))
'''


def first_request(user: str, intent: str | None = None) -> dict:
    sys.path.insert(0, str(ROOT))
    from skill.kit.device import SimulatedDevice

    device = SimulatedDevice(user)
    return device.intent(intent) if intent else device.launch()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--zip", type=Path, help="a zip built by scripts/build_lambda.py (default: build one)")
    parser.add_argument("--python", help="the Python 3.13 to run it on (default: the one build_lambda finds)")
    parser.add_argument("--boto3", type=Path, required=True, help="a folder with boto3 for that Python")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "scripts"))
    import build_lambda

    python = args.python or build_lambda.find_python()
    if not python:
        parser.error("no Python 3.13 found: pass --python")
    work = Path(tempfile.mkdtemp(prefix="stride-cold-"))
    archive = args.zip or build_lambda.build(work / "stride-coach-lambda.zip", python=python)
    task = work / "task"
    with zipfile.ZipFile(archive) as z:
        z.extractall(task)
    (work / "bare").mkdir()
    (work / "bare" / "bare_dynamodb_skill.py").write_text(BARE_SKILL)

    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    import boto3

    client = boto3.client("dynamodb", region_name=REGION, endpoint_url=endpoint,
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    table = f"stride-cold-{uuid.uuid4().hex[:8]}"
    client.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    env = {"PATH": os.environ.get("PATH", ""), "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION,
           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "STRIDE_COACH_STORE": "dynamodb", "STRIDE_COACH_TABLE": table,
           "STRIDE_COACH_DYNAMODB_ENDPOINT": endpoint, "HOME": str(work), "PYTHONDONTWRITEBYTECODE": "1"}
    user = "amzn1.ask.account.COLD-START"
    events = {"ours": json.dumps(first_request(user, "LongerHoldsIntent")),
              "bare": json.dumps(first_request(user + "-BARE"))}
    paths = {"ours": f"{task}:{args.boto3}", "bare": f"{work / 'bare'}:{task}:{args.boto3}"}
    modules = {"ours": "skill.lambda_function", "bare": "bare_dynamodb_skill"}
    wall: dict[str, list[float]] = {"ours": [], "bare": []}
    inside: dict[str, list[float]] = {"ours": [], "bare": []}
    try:
        for sample in range(args.samples + 1):
            for kind in ("ours", "bare"):
                # Each first request reads the user (GetItem) and writes one change (ours: UpdateItem,
                # bare: PutItem); ours is asked for longer holds, from a fresh item each time.
                if kind == "ours":
                    client.delete_item(TableName=table, Key={"id": {"S": user}})
                started = time.perf_counter()
                done = subprocess.run([python, "-I", "-S", "-c", CHILD, paths[kind], modules[kind], events[kind]],
                                      env=env, capture_output=True, text=True, cwd=work)
                elapsed = (time.perf_counter() - started) * 1000
                if done.returncode != 0:
                    raise SystemExit(f"{kind} failed:\n{done.stderr}")
                answer = json.loads(done.stdout)
                if kind == "ours" and "longer" not in answer["speech"]:
                    raise SystemExit(f"unexpected answer: {answer['speech']}")
                if sample:  # the first round warms the page cache and creates the user's item
                    wall[kind].append(elapsed)
                    inside[kind].append(answer["ms"])
        ours = client.get_item(TableName=table, Key={"id": {"S": user}}, ConsistentRead=True).get("Item", {})
        bare = client.get_item(TableName=table, Key={"id": {"S": user + "-BARE"}}, ConsistentRead=True).get("Item", {})
        if "sections" not in ours or "launches" not in bare:
            raise SystemExit(f"the children did not both use the table: {sorted(ours)}, {sorted(bare)}")
    finally:
        server.stop()
    figures = {
        "samples": args.samples, "python": python,
        "ours_ms": round(statistics.median(wall["ours"]), 1), "bare_ms": round(statistics.median(wall["bare"]), 1),
        "ours_import_and_first_request_ms": round(statistics.median(inside["ours"]), 1),
        "bare_import_and_first_request_ms": round(statistics.median(inside["bare"]), 1),
    }
    figures["ratio"] = round(figures["ours_ms"] / figures["bare_ms"], 2)
    figures["ratio_inside"] = round(figures["ours_import_and_first_request_ms"]
                                    / figures["bare_import_and_first_request_ms"], 2)
    print(json.dumps(figures, indent=2) if args.json else "\n".join(f"{k:36} {v}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
