"""``stride-coach new-plugin NAME [--dir PATH]``: scaffold a pip-installable third-party plugin package.

The package (``stride-coach-NAME``, module ``stride_coach_NAME``) is a complete, working plugin
the author then edits: a pyproject with the ``stride_coach`` entry point, one exercise and one
routine as JSON, one intent with sample utterances, the ``register_content``,
``register_intents`` and ``launch_offer`` hooks, and tests with the kit that pass as generated.
The templates are ``skill/scaffold/*.tmpl``.

Before writing anything it checks that the intent name and the sample utterances it would
generate are free among the plugins installed now, so the first ``stride-coach validate`` after
``pip install`` is clean; and it never writes into an existing folder.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

DIST_PREFIX = "stride-coach-"
# template -> path in the new package; paths are templates too.
FILES = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "gitignore.tmpl": ".gitignore",
    "plugin.py.tmpl": "src/$module/__init__.py",
    "intents.json.tmpl": "src/$module/intents.json",
    "exercise.json.tmpl": "src/$module/content/exercises/$exercise_id.json",
    "routine.json.tmpl": "src/$module/content/routines/$routine_id.json",
    "test_plugin.py.tmpl": "tests/test_$plugin_id.py",
}


class ScaffoldError(ValueError):
    """The name is unusable or the package would clash with something; nothing was written."""


@dataclass(frozen=True)
class PluginNames:
    """Every name the package needs, derived from the words of NAME so they always agree."""

    words: tuple[str, ...]

    @classmethod
    def parse(cls, name: str) -> PluginNames:
        text = name.strip().lower()
        for prefix in (DIST_PREFIX, "stride_coach_"):
            text = text.removeprefix(prefix)
        words = tuple(w for w in re.split(r"[-_\s]+", text) if w)
        if not words or not all(re.fullmatch(r"[a-z]+", w) for w in words):
            raise ScaffoldError(
                f"{name!r} is not a usable plugin name: use letters and hyphens, like foam-roll "
                "(the words become the module, the intent and the spoken samples, which Alexa wants "
                "without digits)")
        return cls(words)

    @property
    def slug(self) -> str:
        return "-".join(self.words)

    @property
    def plugin_id(self) -> str:
        return "_".join(self.words)

    @property
    def title(self) -> str:
        return " ".join(self.words)

    @property
    def intent(self) -> str:
        return "".join(w.capitalize() for w in self.words) + "Intent"

    @property
    def samples(self) -> list[str]:
        """Carrier phrases around the name: specific enough not to shadow built-in phrases."""
        return [f"start the {self.title} routine", f"start my {self.title} routine", f"{self.title} routine",
                f"the {self.title} routine", f"do my {self.title} routine"]

    def fields(self) -> dict[str, str]:
        article = "an" if self.title[0] in "aeiou" else "a"
        return {
            "slug": self.slug, "title": self.title, "plugin_id": self.plugin_id, "intent": self.intent,
            "distribution": DIST_PREFIX + self.slug, "module": "stride_coach_" + self.plugin_id,
            "exercise_id": f"{self.plugin_id}_wall_calf_stretch", "routine_id": f"{self.plugin_id}_routine",
            "offer_title": f"{article} {self.title} routine", "sample": self.samples[0],
            "samples": json.dumps(self.samples),
        }


def clashes(names: PluginNames) -> list[str]:
    """What the new plugin would collide with among the plugins installed now (built-ins included)."""
    from skill.pipeline.app import load_from_env
    from skill.voice.builtin_intents import BUILTIN_PHRASES
    from skill.voice.model import LOCALES, samples_for
    from skill.voice.nlu import normalise

    host = load_from_env(strict=False)
    problems = []
    if names.intent in host.intents:
        problems.append(f"intent {names.intent} already belongs to plugin {host.intents[names.intent].plugin!r}")
    if names.plugin_id in host.records:
        problems.append(f"a plugin named {names.plugin_id!r} is already installed")
    taken = {normalise(p): intent for intent, phrases in BUILTIN_PHRASES.items() for p in phrases}
    for spec in host.intents.values():
        for locale in LOCALES:
            taken.update({normalise(s): spec.name for s in samples_for(spec.definition, locale)})
    problems += [f"sample {s!r} is already a sample of {taken[normalise(s)]}" for s in names.samples
                 if normalise(s) in taken]
    return problems


def render(names: PluginNames) -> dict[str, str]:
    """Relative path -> text of every file of the package."""
    fields = names.fields()
    templates = resources.files("skill.scaffold")
    return {Template(target).substitute(fields): Template(templates.joinpath(source).read_text()).substitute(fields)
            for source, target in FILES.items()}


def scaffold(name: str, parent: Path, *, check_clashes: bool = True) -> Path:
    """Write the package into ``parent/stride-coach-NAME`` and return that folder."""
    names = PluginNames.parse(name)
    target = Path(parent) / (DIST_PREFIX + names.slug)
    if target.exists():
        raise ScaffoldError(f"{target} already exists; choose another name or --dir (nothing was overwritten)")
    problems = clashes(names) if check_clashes else []
    if problems:
        raise ScaffoldError(f"a plugin named {name!r} would clash with what is installed:\n  " + "\n  ".join(problems))
    for relative, text in render(names).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return target


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="the plugin's name in words joined by hyphens, e.g. foam-roll")
    parser.add_argument("--dir", default=".", help="where to create the package folder (default: here)")


def run(args: argparse.Namespace) -> int:
    try:
        target = scaffold(args.name, Path(args.dir))
    except ScaffoldError as exc:
        print(f"stride-coach new-plugin: {exc}", file=sys.stderr)
        return 1
    fields = PluginNames.parse(args.name).fields()
    print(f"created {target}\n\nnext:\n"
          f"  python -m pip install -e {target}\n"
          f"  stride-coach plugins                              # {fields['plugin_id']} loaded\n"
          "  export STRIDE_COACH_MODELS_DIR=\"$(mktemp -d)\"     # models from the installed plugins\n"
          "  stride-coach models && stride-coach validate\n"
          f"  printf 'open stride coach\\n{fields['sample']}\\n' | stride-coach chat\n"
          f"  (cd {target} && python -m pytest)\n"
          "docs/plugins.md has the hooks, the content schemas and the test kit")
    return 0
