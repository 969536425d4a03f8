"""``stride-coach package``: assemble the skill package that ``ask deploy`` and the developer console take.

Layout (ASK CLI v2; ask-cli docs/concepts/Alexa-Skill-Project-Definition.md)::

    <out>/ask-resources.json                         written once, only if missing
    <out>/skill-package/skill.json                   the manifest, from skill/manifest/
    <out>/skill-package/interactionModels/custom/<locale>.json   the committed models, as they are

The endpoint and the privacy policy URL are configuration (arguments or environment), never
defaults: a package without them would deploy a skill that cannot answer or cannot certify, so
the command refuses (exit 2). It also refuses (exit 1) whenever ``stride-coach validate`` would
fail, so what it writes is exactly what the checks passed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from skill.cli.common import models_dir
from skill.cli.validate import problems
from skill.manifest import ALEXA_LAMBDA_REGIONS, ConfigError, Deployment, build_manifest, lambda_region, manifest_text
from skill.pipeline.app import load_from_env
from skill.voice.model import LOCALES, model_path

DEFAULT_OUT = "build"
PACKAGE_DIR = "skill-package"
MODELS_DIR = Path("interactionModels") / "custom"
# A skill-metadata-only ASK CLI project: with no "code" or "skillInfrastructure", ask deploy
# uploads the package and leaves the endpoint (already in skill.json) alone.
ASK_RESOURCES = {"askcliResourcesVersion": "2020-03-31",
                 "profiles": {"default": {"skillMetadata": {"src": f"./{PACKAGE_DIR}"}}}}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default=DEFAULT_OUT,
                        help=f"ASK CLI project folder; the package goes to OUT/{PACKAGE_DIR} (default: {DEFAULT_OUT})")
    parser.add_argument("--endpoint", help="Lambda function ARN or https:// URL (default: $STRIDE_COACH_ENDPOINT)")
    parser.add_argument("--privacy-url", help="privacy policy URL (default: $STRIDE_COACH_PRIVACY_URL)")
    parser.add_argument("--small-icon-uri", help="108x108 PNG icon URL (optional; $STRIDE_COACH_SMALL_ICON_URI)")
    parser.add_argument("--large-icon-uri", help="512x512 PNG icon URL (optional; $STRIDE_COACH_LARGE_ICON_URI)")
    parser.add_argument("--models-dir", help="folder of committed interaction models (default: interaction_models/)")


def write_package(out: Path, manifest: dict, models: dict[str, str]) -> Path:
    """Write the package under ``out`` and return its folder; model files of other locales are removed."""
    package = out / PACKAGE_DIR
    custom = package / MODELS_DIR
    custom.mkdir(parents=True, exist_ok=True)
    for stale in custom.glob("*.json"):
        if stale.stem not in models:
            stale.unlink()
    (package / "skill.json").write_text(manifest_text(manifest))
    for locale, text in models.items():
        (custom / f"{locale}.json").write_text(text)
    resources = out / "ask-resources.json"
    if not resources.exists():
        resources.write_text(json.dumps(ASK_RESOURCES, indent=2) + "\n")
    return package


def run(args: argparse.Namespace) -> int:
    try:
        deployment = Deployment.from_config(args.endpoint, args.privacy_url, args.small_icon_uri, args.large_icon_uri)
    except ConfigError as exc:
        print(f"stride-coach package: refusing to package: {exc}", file=sys.stderr)
        return 2
    region = lambda_region(deployment.endpoint)
    if region and region not in ALEXA_LAMBDA_REGIONS:
        print(f"warning: Lambda region {region} may not offer the Alexa Skills Kit trigger "
              f"(use one of {', '.join(ALEXA_LAMBDA_REGIONS)})", file=sys.stderr)
    directory = Path(args.models_dir) if args.models_dir else models_dir()
    found = problems(load_from_env(strict=False), directory)
    if found:
        print(f"stride-coach package: refusing to package: {len(found)} problem(s) (as 'stride-coach validate' shows):",
              file=sys.stderr)
        for problem in found:
            print(f"  {problem}", file=sys.stderr)
        return 1
    models = {locale: model_path(directory, locale).read_text() for locale in LOCALES}
    package = write_package(Path(args.out), build_manifest(deployment), models)
    print(f"wrote {package}/skill.json and {len(models)} interaction models ({', '.join(LOCALES)})")
    print(f"deploy with: cd {args.out} && ask deploy --target skill-metadata")
    return 0
