"""The Lambda deployment: what the zip holds, that it runs on its own, and what osls makes of serverless.yml.

The zip is built by scripts/build_lambda.py (pip downloads the wheels, so this needs PyPI). The
osls test needs Node.js and npm's registry, but no AWS credentials: it packages offline, with every
AWS_* variable removed and a scratch HOME, in a scratch copy of the service.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from skill.store.dynamodb import IAM_ACTIONS, TABLE_KEY

ROOT = Path(__file__).resolve().parents[2]
OSLS = "osls@4.3.1"  # the version docs/aws.md tells people to run
SKILL_ID = "amzn1.ask.skill.test-00000000-0000-4000-8000-000000000000"
BUILT_IN_PLUGINS = {"diagnosis", "stretch_timer", "strength_coach"}


def load_build_script():
    spec = importlib.util.spec_from_file_location("build_lambda", ROOT / "scripts" / "build_lambda.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_lambda = load_build_script()


@pytest.fixture(scope="module")
def lambda_zip(tmp_path_factory) -> Path:
    """The real deployment zip, for Lambda's Python on x86_64 Linux."""
    return build_lambda.build(tmp_path_factory.mktemp("lambda") / "stride-coach-lambda.zip")


def top_level(archive: Path) -> set[str]:
    with zipfile.ZipFile(archive) as z:
        return {name.split("/", 1)[0] for name in z.namelist()}


def test_zip_holds_our_packages_and_metadata_at_its_root(lambda_zip):
    with zipfile.ZipFile(lambda_zip) as z:
        names = set(z.namelist())
        (entry_points,) = [n for n in names if n.startswith("stride_coach-")
                           and n.endswith(".dist-info/entry_points.txt")]
        groups = z.read(entry_points).decode()
    assert "skill/lambda_function.py" in names
    assert set(build_lambda.OWN_PACKAGES) <= top_level(lambda_zip)
    assert any(n.startswith("content/") and n.endswith(".json") for n in names), "content data files ship"
    assert "[stride_coach]" in groups and all(f"{plugin} = plugins." in groups for plugin in BUILT_IN_PLUGINS)


def test_zip_holds_the_dependencies_built_for_lambda(lambda_zip):
    tops = top_level(lambda_zip)
    assert {"ask_sdk_core", "ask_sdk_model", "ask_sdk_runtime", "pluggy", "jsonschema", "referencing",
            "rpds", "requests", "urllib3", "dateutil"} <= tops
    with zipfile.ZipFile(lambda_zip) as z:
        extensions = [n for n in z.namelist() if n.endswith(".so")]
    assert extensions and all("cpython-313-x86_64-linux-gnu" in n for n in extensions), extensions


def test_zip_leaves_out_what_lambda_provides_or_never_runs(lambda_zip):
    tops = top_level(lambda_zip)
    for provided in ("boto3", "botocore", "s3transfer", "jmespath"):
        assert not any(t == provided or t.startswith(f"{provided}-") for t in tops), provided
    assert not tops & {"tests", "docs", "benchmarks", "scripts", "bin", "build", "interaction_models"}
    with zipfile.ZipFile(lambda_zip) as z:
        unused = [n for n in z.namelist() if "/tests/" in n or "/benchmarks/" in n or n.endswith("direct_url.json")]
    assert not unused


def test_zip_is_reproducible(tmp_path):
    tree = tmp_path / "tree"
    (tree / "pkg").mkdir(parents=True)
    (tree / "pkg" / "a.py").write_text("A = 1\n")
    (tree / "b.txt").write_text("b\n")
    build_lambda.write_zip(tree, tmp_path / "one.zip")
    os.utime(tree / "b.txt", (0, 0))
    build_lambda.write_zip(tree, tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()


SMOKE = r"""
import importlib.util, json, sys
sys.path.insert(0, sys.argv[1])
from skill import lambda_function
from skill.pipeline import app
from skill.kit.device import SimulatedDevice
response = lambda_function.handler(SimulatedDevice("amzn1.ask.account.smoke").launch(), None)
print(json.dumps({"speech": response["response"]["outputSpeech"]["ssml"],
                  "plugins": app.get_app().host.loaded(),
                  "outside": sorted(name for name, m in sys.modules.items()
                                    if name.split(".")[0] in ("skill", "plugins", "content", "pluggy", "ask_sdk_core")
                                    and not (getattr(m, "__file__", None) or sys.argv[1]).startswith(sys.argv[1])),
                  "boto3": importlib.util.find_spec("boto3") is not None}))
"""


def run_unzipped(archive: Path, python: str, tmp_path: Path) -> dict:
    """Answer a LaunchRequest with nothing on the path but the unzipped package and the standard library."""
    task = tmp_path / "task"
    with zipfile.ZipFile(archive) as z:
        z.extractall(task)
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "STRIDE_COACH_STORE": "sqlite",
           "STRIDE_COACH_DB": str(tmp_path / "smoke.db"), "PYTHONDONTWRITEBYTECODE": "1"}
    # -I ignores PYTHON* variables and the user's site-packages; -S skips site-packages altogether.
    result = subprocess.run([python, "-I", "-S", "-c", SMOKE, str(task)], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_package_runs_alone(lambda_zip, tmp_path):
    """The Lambda zip on Python 3.13 when there is one; otherwise the same build for this interpreter."""
    python = build_lambda.find_python()
    if python:
        archive = lambda_zip
        with zipfile.ZipFile(archive) as z:
            assert "skill/pipeline/__pycache__/app.cpython-313.pyc" in z.namelist(), "bytecode is compiled with a 3.13"
    else:
        archive, python = build_lambda.build(tmp_path / "host.zip", host=True), sys.executable
    report = run_unzipped(archive, python, tmp_path)
    assert "stretches" in report["speech"], report["speech"]
    assert set(report["plugins"]) >= BUILT_IN_PLUGINS, "plugins load through the packaged entry points"
    assert report["outside"] == [], "every module came from the package"
    assert report["boto3"] is False, "the dev environment's site-packages leaked in"


# -- osls ------------------------------------------------------------------------------------------


def npm_env(home: Path) -> dict:
    """No AWS credentials or config and a scratch HOME, but npm's own settings (CA, registry) and cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    npm = shutil.which("npm")
    cache = npm and subprocess.run([npm, "config", "get", "cache"], capture_output=True, text=True).stdout.strip()
    if cache:  # else the scratch HOME would download osls again on every run
        env["npm_config_cache"] = cache
    if (Path.home() / ".npmrc").is_file():
        env.setdefault("NPM_CONFIG_USERCONFIG", str(Path.home() / ".npmrc"))
    env["HOME"] = str(home)
    return env


@pytest.fixture(scope="module")
def template(lambda_zip, tmp_path_factory) -> dict:
    """The CloudFormation template ``osls package`` makes of serverless.yml, in a scratch copy."""
    npx = shutil.which("npx")
    if npx is None:
        pytest.skip("npx is not installed: Node.js is needed to package with osls")
    service = tmp_path_factory.mktemp("service")
    shutil.copy2(ROOT / "serverless.yml", service)
    (service / "build").mkdir()
    shutil.copy2(lambda_zip, service / "build" / lambda_zip.name)
    home = service / "home"
    home.mkdir()
    result = subprocess.run([npx, "--yes", OSLS, "package", "--param", f"skillId={SKILL_ID}"], cwd=service,
                            env=npm_env(home), capture_output=True, text=True, timeout=180)
    assert result.returncode == 0 and "Service packaged" in result.stdout + result.stderr, result.stdout + result.stderr
    return json.loads((service / ".serverless" / "cloudformation-template-update-stack.json").read_text())


def resources(template: dict, kind: str) -> dict:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def only(template: dict, kind: str) -> tuple[str, dict]:
    found = resources(template, kind)
    assert len(found) == 1, f"one {kind} expected: {sorted(found)}"
    name, resource = next(iter(found.items()))
    return name, resource["Properties"]


def test_the_function(template):
    table_name, _ = only(template, "AWS::DynamoDB::Table")
    function_name, function = only(template, "AWS::Lambda::Function")
    assert template["Outputs"]["SkillFunctionArn"]["Value"] == {"Fn::GetAtt": [function_name, "Arn"]}
    assert function["Handler"] == "skill/lambda_function.handler"
    assert function["Runtime"] == f"python{build_lambda.LAMBDA_PYTHON}"
    assert function["Architectures"] == ["x86_64"]
    assert function["Timeout"] <= 8
    variables = function["Environment"]["Variables"]
    assert variables["STRIDE_COACH_STORE"] == "dynamodb"
    assert variables["STRIDE_COACH_TABLE"] == {"Ref": table_name}
    assert variables["STRIDE_COACH_SKILL_ID"] == SKILL_ID


def test_only_the_skill_may_invoke_the_function(template):
    function_name, _ = only(template, "AWS::Lambda::Function")
    _, permission = only(template, "AWS::Lambda::Permission")
    assert permission == {"FunctionName": {"Fn::GetAtt": [function_name, "Arn"]}, "Action": "lambda:InvokeFunction",
                          "Principal": "alexa-appkit.amazon.com", "EventSourceToken": SKILL_ID}


def test_the_table_is_on_demand_with_the_adapters_key(template):
    _, table = only(template, "AWS::DynamoDB::Table")
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["KeySchema"] == TABLE_KEY["KeySchema"]
    assert table["AttributeDefinitions"] == TABLE_KEY["AttributeDefinitions"]
    assert "ProvisionedThroughput" not in table


def statements(template: dict) -> list[dict]:
    """Every policy statement of every role and policy in the stack."""
    found = []
    for kind in ("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        for resource in resources(template, kind).values():
            properties = resource["Properties"]
            assert not properties.get("ManagedPolicyArns"), "no managed policies beyond the inline ones"
            documents = [p["PolicyDocument"] for p in properties.get("Policies", [])]
            documents += [properties["PolicyDocument"]] if "PolicyDocument" in properties else []
            found += [s for d in documents for s in d["Statement"]]
    return found


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def test_the_role_may_use_only_the_table_and_its_logs(template):
    table_name, _ = only(template, "AWS::DynamoDB::Table")
    granted = statements(template)
    assert granted and all(s["Effect"] == "Allow" for s in granted)
    dynamodb = [s for s in granted if any(a.startswith("dynamodb:") for a in as_list(s["Action"]))]
    assert len(dynamodb) == 1
    assert sorted(as_list(dynamodb[0]["Action"])) == sorted(IAM_ACTIONS)
    assert as_list(dynamodb[0]["Resource"]) == [{"Fn::GetAtt": [table_name, "Arn"]}]
    for statement in granted:
        actions = as_list(statement["Action"])
        assert all(a.startswith(("dynamodb:", "logs:")) and "*" not in a for a in actions), actions
        assert "*" not in as_list(statement["Resource"]), statement
        if statement is not dynamodb[0]:
            assert all(a.startswith("logs:") for a in actions), "osls adds only the function's log permissions"
