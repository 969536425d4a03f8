"""Build the AWS Lambda deployment package: the project's wheel and its runtime dependencies, nothing else.

    python scripts/build_lambda.py                 # build/stride-coach-lambda.zip, for serverless.yml
    python scripts/build_lambda.py --python PATH   # compile the bytecode with this Python 3.13
    python scripts/build_lambda.py --host          # for this interpreter and platform (smoke tests)

The zip holds, at its root, the ``skill``, ``plugins`` and ``content`` packages, the installed
dependencies, and the ``*.dist-info`` folders: the built-in plugins are found through the
``stride_coach`` entry-point group in our own distribution's metadata, so it must ship.

Dependencies are resolved together with boto3, so that the versions chosen (python-dateutil and
urllib3 above all) suit the boto3 that Lambda provides, and boto3 itself is then removed. They are
downloaded as wheels for the Lambda runtime (CPython 3.13 on x86_64 Linux), not for the machine
building: rpds-py, which jsonschema needs, is compiled. Entries are written in a fixed order with
fixed timestamps, so the same sources and versions give the same zip and a redeploy changes nothing.

Lambda's code directory is read-only, so a zip without bytecode is compiled again at every cold start:
about 0.6 s of CPU here, several times that on a small Lambda, and a screen of SyntaxWarnings from
ask-sdk-model in the logs. When a Python 3.13 is at hand (``python3.13`` on PATH, or ``--python``)
the zip carries bytecode compiled for ``/var/task``, checked by nothing but its presence (the zip is
immutable); without one the build says so and still succeeds.

The same interpreter validates the packaged plugins and content, as they will load on Lambda, and
writes the fingerprints of what passed to ``content/.validated.json`` in the zip: a cold start then
skips validating them (see ``skill/host/content.py``) and does not even import jsonschema. Without that
interpreter, or if validation fails, the zip has no cache and Lambda validates everything at each
cold start, as before.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACT = ROOT / "build" / "stride-coach-lambda.zip"

# Keep in step with provider.runtime and provider.architecture in serverless.yml.
LAMBDA_PYTHON = "3.13"
LAMBDA_PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_28_x86_64", "manylinux_2_34_x86_64")

OWN_PACKAGES = ("skill", "plugins", "content")
SOURCES = ("pyproject.toml", "README.md", *OWN_PACKAGES)
PROVIDED_BY_LAMBDA = ("boto3", "botocore", "s3transfer", "jmespath")
# Never imported at run time: console scripts, third-party test suites and benchmarks.
UNUSED = ("bin", "*/tests", "*/benchmarks")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def build(artifact: Path = ARTIFACT, *, host: bool = False, python: str | None = None) -> Path:
    """Write the deployment zip to ``artifact`` and return its path.

    ``python`` compiles the bytecode (default: :func:`find_python`; for ``host``, this interpreter).
    """
    with tempfile.TemporaryDirectory(prefix="stride-coach-lambda-") as scratch:
        work = Path(scratch)
        wheel = build_wheel(work / "src", work / "wheel")
        target = work / "package"
        install(wheel, target, host=host)
        for name in PROVIDED_BY_LAMBDA:
            remove_distribution(target, name)
        prune(target)
        compiler = sys.executable if host else python or find_python()
        if compiler:
            record_validation(target, compiler)
            compile_bytecode(target, compiler)
        else:
            print(f"note: no Python {LAMBDA_PYTHON} found (python{LAMBDA_PYTHON} or --python): the zip has no "
                  "bytecode and no validation cache, so Lambda compiles it and validates all content at every "
                  "cold start", file=sys.stderr)
        write_zip(target, artifact)
    return artifact


def build_wheel(source: Path, out: Path) -> Path:
    """The project's wheel, built from a clean copy: setuptools would reuse a stale ``build/lib``."""
    source.mkdir(parents=True)
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            # A checkout's own validation cache is not shipped: the build writes the package's.
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".validated.json*")
            shutil.copytree(path, source / name, ignore=ignore)
        elif path.exists():
            shutil.copy2(path, source / name)
    pip("wheel", "--no-deps", "--wheel-dir", str(out), str(source))
    (wheel,) = out.glob("*.whl")
    return wheel


def install(wheel: Path, target: Path, *, host: bool) -> None:
    """The wheel and its dependencies (with boto3's, for the versions) into ``target``."""
    where: list[str] = []
    if not host:
        where = ["--only-binary=:all:", "--implementation", "cp", "--python-version", LAMBDA_PYTHON]
        for platform in LAMBDA_PLATFORMS:
            where += ["--platform", platform]
    pip("install", "--target", str(target), "--no-compile", *where, f"{wheel}[aws]")


def remove_distribution(target: Path, name: str) -> None:
    """Delete an installed distribution's files, as its RECORD lists them, and its metadata."""
    for info in target.glob("*.dist-info"):
        if info.name.split("-", 1)[0].lower() != name.replace("-", "_").lower():
            continue
        for line in (info / "RECORD").read_text().splitlines():
            path = (target / line.split(",", 1)[0]).resolve()
            if path.is_relative_to(target.resolve()) and path.is_file():
                path.unlink()
        shutil.rmtree(info)


def prune(target: Path) -> None:
    """Drop what never runs on Lambda, and the folders left empty. Our own packages are left whole."""
    for pattern in UNUSED:
        for path in target.glob(pattern):
            if path.is_dir() and path.relative_to(target).parts[0] not in OWN_PACKAGES:
                shutil.rmtree(path)
    for cache in list(target.rglob("__pycache__")):
        shutil.rmtree(cache)
    for direct_url in target.glob("*.dist-info/direct_url.json"):  # names the build's scratch folder
        direct_url.unlink()
        record = direct_url.with_name("RECORD")
        entry = f"{direct_url.parent.name}/{direct_url.name},"
        record.write_text("".join(line for line in record.read_text().splitlines(True) if not line.startswith(entry)))
    for directory in sorted(target.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()


def find_python(version: str = LAMBDA_PYTHON) -> str | None:
    """An interpreter of the Lambda runtime's version (``python3.13`` on PATH, or this one), by its real path."""
    for candidate in (f"python{version}", sys.executable):
        path = shutil.which(candidate)
        found = path and describe(path)
        if found and found[0] == version:
            return found[1]
    return None


def describe(python: str) -> tuple[str, str] | None:
    """``("3.13", real path)`` of a working interpreter; None for one that does not run (a pyenv shim, say)."""
    result = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2], sys.executable)"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        return None
    version, _, executable = result.stdout.strip().partition(" ")
    return version, executable


# Loads every packaged plugin from the package alone (as Lambda will) and writes the validation cache.
RECORD_VALIDATION = r"""
import sys
sys.path.insert(0, sys.argv[1])
from skill.pipeline.app import load_from_env, write_validation_cache
write_validation_cache(load_from_env(strict=True))
"""


def record_validation(target: Path, python: str) -> None:
    """Validate the packaged content in full and leave ``content/.validated.json`` in ``target``.

    A failure is reported and leaves no cache: the package still works, validating at each start.
    """
    # -I and -S: nothing but the package and the standard library; -B: no bytecode written here.
    result = subprocess.run([python, "-I", "-S", "-B", "-c", RECORD_VALIDATION, str(target)],
                            env={"PATH": os.environ.get("PATH", "")}, capture_output=True, text=True)
    if result.returncode != 0:
        (target / "content" / ".validated.json").unlink(missing_ok=True)
        print("note: validating the packaged content failed, so the zip has no validation cache:\n"
              + result.stderr.strip(), file=sys.stderr)


def compile_bytecode(target: Path, python: str) -> None:
    """Bytecode that names ``/var/task`` in tracebacks and is never checked against the source."""
    subprocess.run([python, "-W", "ignore::SyntaxWarning", "-m", "compileall", "-q", "-j", "0",
                    "--invalidation-mode", "unchecked-hash", "-d", "/var/task", str(target)], check=True)


def write_zip(target: Path, artifact: Path) -> None:
    artifact.parent.mkdir(parents=True, exist_ok=True)
    partial = artifact.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(p for p in target.rglob("*") if p.is_file()):
            entry = zipfile.ZipInfo(path.relative_to(target).as_posix(), FIXED_TIME)
            entry.external_attr = ((0o755 if os.access(path, os.X_OK) else 0o644) | 0o100000) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes())
    partial.replace(artifact)


def pip(*arguments: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", *arguments, "--quiet", "--disable-pip-version-check"],
                   check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ARTIFACT, help=f"the zip to write (default: {ARTIFACT})")
    parser.add_argument("--python", help=f"a Python {LAMBDA_PYTHON} to compile the bytecode with")
    parser.add_argument("--host", action="store_true",
                        help="build for this interpreter and platform instead of the Lambda runtime")
    args = parser.parse_args(argv)
    python = None
    if args.python:
        found = describe(args.python)
        if not found or found[0] != LAMBDA_PYTHON:
            parser.error(f"--python {args.python} is not a working Python {LAMBDA_PYTHON}")
        python = found[1]
    artifact = build(args.out, host=args.host, python=python)
    print(f"{artifact} ({artifact.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
