#!/usr/bin/env bash
# CI: install the example third-party plugin beside the project, as an outside author's package
# would be, and check it works: its own tests pass with the kit, `stride-coach plugins --json`
# shows it loaded, `stride-coach models` puts its intent in the interaction model, and
# `stride-coach validate` finds no problem (no sample clashes with the built-ins).
#
# It always uninstalls the example again (trap), because an installed plugin adds its intent to
# the generated model and `stride-coach models --check` of the checkout would then fail. Models
# are written to a temporary folder; interaction_models/ is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

EXAMPLE=examples/stride-coach-hip-mobility
DIST=stride-coach-hip-mobility
PLUGIN=hip_mobility
INTENT=HipMobilityIntent
PYTHON=${PYTHON:-python}
WORK=$(mktemp -d)

step() { echo "check_example_plugin: $*"; }
fail() { echo "check_example_plugin: FAILED: $*" >&2; exit 1; }
cleanup() {
    "$PYTHON" -m pip uninstall --yes --quiet "$DIST" >/dev/null 2>&1 || true
    rm -rf "$WORK" "$EXAMPLE"/src/*.egg-info "$EXAMPLE"/build
}
trap cleanup EXIT

# The checks must see exactly what is installed, whatever the caller's shell says.
unset STRIDE_COACH_LOAD_PLUGINS STRIDE_COACH_BLOCK_PLUGINS STRIDE_COACH_STRICT_PLUGINS STRIDE_COACH_MODELS_DIR
export STRIDE_COACH_DB="$WORK/stride-coach.db"

# Build without an isolated environment when the build tools are already here (fast, offline);
# otherwise let pip fetch them.
build_flags=()
if "$PYTHON" -c "import setuptools, wheel" >/dev/null 2>&1; then
    build_flags=(--no-build-isolation)
fi
step "installing $EXAMPLE (no dependencies: stride-coach is this checkout)"
"$PYTHON" -m pip install --quiet --no-deps "${build_flags[@]}" -e "$EXAMPLE" \
    || fail "pip install -e $EXAMPLE failed"

step "running its tests"
(cd "$EXAMPLE" && "$PYTHON" -m pytest -q) || fail "the example plugin's own tests failed"

step "stride-coach plugins --json shows $PLUGIN loaded"
stride-coach plugins --json >"$WORK/plugins.json" || fail "stride-coach plugins --json exited non-zero"
"$PYTHON" - "$WORK/plugins.json" "$PLUGIN" "$DIST" "$INTENT" <<'EOF' || fail "stride-coach plugins --json: $PLUGIN is not loaded as expected (see above)"
import json, sys
path, name, dist, intent = sys.argv[1:]
records = {r["name"]: r for r in json.load(open(path))}
record = records.get(name)
if record is None:
    sys.exit(f"  {name} is not listed (found: {', '.join(records)})")
if record["status"] != "loaded":
    sys.exit(f"  {name} is {record['status']}: {record['error']}")
if record["distribution"] != dist or intent not in record["intents"]:
    sys.exit(f"  unexpected record: {record}")
EOF

step "stride-coach models writes $INTENT into a temporary models folder"
stride-coach models --dir "$WORK/models" >/dev/null || fail "stride-coach models exited non-zero"
grep -q "\"$INTENT\"" "$WORK/models/en-US.json" || fail "$INTENT is missing from the generated en-US model"

step "stride-coach validate (content, intents and sample clashes, with the example installed)"
stride-coach validate --models-dir "$WORK/models" || fail "stride-coach validate found problems"

step "ok (uninstalling $DIST)"
