"""Finding, loading and isolating plugins, and collecting what each one contributes.

Each entry point of the group ``stride_coach`` is loaded on its own: one that fails to import,
implements a hook that does not exist, brings invalid content or claims an intent another plugin
owns is marked *failed* with its reason, logged once, and unregistered; the rest carry on.

Configuration (environment variables):

* ``STRIDE_COACH_LOAD_PLUGINS=a,b``: load only these entry points (empty: only the core).
* ``STRIDE_COACH_BLOCK_PLUGINS=a,b``: never load these.
* ``STRIDE_COACH_STRICT_PLUGINS=1``: any plugin failure raises :class:`PluginLoadError`
  (for development and tests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from skill import hookspecs
from skill.host.content import (
    SCHEMA_DIR,
    ContentLibrary,
    ContentProblem,
    canonical,
    fingerprint,
    json_pointer,
    read_json,
)

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

log = logging.getLogger("stride_coach.plugins")
ENTRY_POINT_GROUP = "stride_coach"
OWN_DISTRIBUTION = "stride-coach"
CORE_CONTENT_KINDS = ("exercise", "routine", "plan")
CONTRIBUTION_HOOKS = ("register_schemas", "register_content", "register_slot_types", "register_intents")


class PluginLoadError(RuntimeError):
    """Raised in strict mode when any plugin fails."""


@dataclass
class PluginRecord:
    name: str
    module: str = ""
    distribution: str | None = None
    builtin: bool = False
    status: str = "loaded"  # loaded | failed | blocked
    errors: list[str] = field(default_factory=list)
    hooks: list[str] = field(default_factory=list)
    intents: list[str] = field(default_factory=list)
    slot_types: list[str] = field(default_factory=list)
    content: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "name": self.name, "status": self.status, "version": self.version,
            "distribution": self.distribution, "module": self.module, "builtin": self.builtin,
            "error": "; ".join(self.errors) or None, "hooks": self.hooks, "intents": self.intents,
            "slot_types": self.slot_types, "content": self.content,
        }

    @cached_property
    def version(self) -> str | None:
        """The distribution's version, looked up on first use: only ``stride-coach plugins`` shows it,
        and each lookup scans ``sys.path`` for the distribution's metadata at a cold start."""
        return _version(self.distribution)


@dataclass
class IntentSpec:
    name: str
    plugin: str
    definition: dict
    handler: Callable


class _DefinitionSchema:
    """The schema intent or slot type definitions must follow; its validator is built on first use."""

    def __init__(self, schema_file: str) -> None:
        self.file = schema_file
        self.schema, _ = read_json(SCHEMA_DIR / schema_file)
        self.fingerprint = fingerprint(schema_file, canonical(self.schema))  # goes into every definition's fingerprint
        self._validator: Draft202012Validator | None = None

    def problems(self, label: str, definition: dict) -> list[str]:
        if self._validator is None:
            from jsonschema import Draft202012Validator

            self._validator = Draft202012Validator(self.schema)
        return [f"{label} {definition.get('name', '?')}: {json_pointer(e.absolute_path) or '/'}: {e.message}"
                for e in self._validator.iter_errors(definition)]


class PluginHost:
    """The plugin manager of one skill: records, intents, slot types and content.

    ``known_valid``: fingerprints from the validation cache; what they list is not validated again
    (see skill.content). Without them, the default, everything is validated.
    """

    def __init__(self, known_valid: frozenset[str] = frozenset()) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.records: dict[str, PluginRecord] = {}
        self.intents: dict[str, IntentSpec] = {}
        self.slot_types: dict[str, tuple[str, dict]] = {}
        self.content = ContentLibrary(known_valid)
        self._intent_schema = _DefinitionSchema("intent.schema.json")
        self._slot_type_schema = _DefinitionSchema("slot_type.schema.json")

    def _definition_problems(self, schema: _DefinitionSchema, label: str, definition: dict) -> list[str]:
        key = fingerprint("definition", schema.fingerprint, canonical(definition))
        return self.content.checked(key, lambda: schema.problems(label, definition))

    # -- loading -------------------------------------------------------------------------------
    def load(
        self,
        *,
        entry_points: bool = True,
        extra: Iterable[tuple[str, Any]] = (),
        only: Iterable[str] | None = None,
        block: Iterable[str] = (),
        strict: bool = False,
        core: Any = None,
    ) -> PluginHost:
        """Register ``core`` (the application's own plugin, named "core"), the entry points (built-ins
        first) and ``extra`` (name, plugin) pairs, then collect what each contributes."""
        if core is not None:
            record = PluginRecord("core", getattr(core, "__name__", ""), OWN_DISTRIBUTION, builtin=True)
            self._register("core", core, record)
        only_set = set(only) if only is not None else None
        blocked = set(block)
        if entry_points:
            for ep in sorted(_entry_points(), key=lambda e: (_dist_name(e) != OWN_DISTRIBUTION, e.name)):
                dist = _dist_name(ep)
                record = PluginRecord(ep.name, ep.value, dist, builtin=dist == OWN_DISTRIBUTION)
                if ep.name in blocked or (only_set is not None and ep.name not in only_set):
                    record.status = "blocked"
                    self.records[ep.name] = record
                    continue
                try:
                    plugin = ep.load()
                except Exception as exc:  # a plugin that cannot even import
                    self.records[ep.name] = record
                    self._fail(record, f"failed to import {ep.value}: {type(exc).__name__}: {exc}")
                    continue
                self._register(ep.name, plugin, record)
        for name, plugin in extra:
            module = getattr(plugin, "__name__", type(plugin).__name__)
            self._register(name, plugin, PluginRecord(name, module))
        self._collect_contributions()
        failed = [r for r in self.records.values() if r.status == "failed"]
        for record in failed:
            log.warning("plugin %s failed: %s", record.name, "; ".join(record.errors))
        if strict and failed:
            raise PluginLoadError("; ".join(f"{r.name}: {'; '.join(r.errors)}" for r in failed))
        return self

    def _register(self, name: str, plugin: Any, record: PluginRecord) -> None:
        self.records[name] = record
        if name in (n for n, _ in self.pm.list_name_plugin()):
            self._fail(record, f"another plugin is already registered as {name!r}")
            return
        try:
            self.pm.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:
            self._fail(record, f"invalid hook implementation: {exc}")
            return
        except ValueError as exc:  # pluggy: this module is already registered under another name
            self._fail(record, f"cannot be registered: {exc}")
            return
        unknown = sorted(
            caller.name for caller in self.pm.get_hookcallers(plugin) or [] if caller.spec is None
        )
        if unknown:
            self.pm.unregister(name=name)
            self._fail(record, "implements hooks that do not exist: " + ", ".join(unknown)
                       + " (see skill/hookspecs.py for the hook names)")
            return
        record.hooks = sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or [])

    def _fail(self, record: PluginRecord, reason: str) -> None:
        record.status = "failed"
        record.errors.append(reason)
        if self.pm.has_plugin(record.name):
            self.pm.unregister(name=record.name)
        self.content.remove_plugin(record.name)
        for intent in [n for n, spec in self.intents.items() if spec.plugin == record.name]:
            del self.intents[intent]
        for slot_type in [n for n, (owner, _) in self.slot_types.items() if owner == record.name]:
            del self.slot_types[slot_type]
        record.intents, record.slot_types, record.content = [], [], {}

    def _collect_contributions(self) -> None:
        for kind in CORE_CONTENT_KINDS:  # shipped with the core: tests/test_schemas_shipped.py checks them
            self.content.add_schema(kind, SCHEMA_DIR / f"{kind}.schema.json", "core", check=False)
        collectors = {
            "register_schemas": self._collect_schemas,
            "register_content": self._collect_content,
            "register_slot_types": self._collect_slot_types,
            "register_intents": self._collect_intents,
        }
        for hook_name in CONTRIBUTION_HOOKS:
            for name, record in list(self.records.items()):
                if record.status != "loaded":
                    continue
                errors = collectors[hook_name](name)
                if errors:
                    self._fail(record, "; ".join(errors))
            if hook_name == "register_content":
                self._fail_on(self.content.check_references())
        self._check_intent_slot_types()
        for name, record in self.records.items():
            if record.status == "loaded":
                record.content = self.content.counts_by_plugin(name)

    def _fail_on(self, errors: list[ContentProblem]) -> None:
        by_plugin: dict[str, list[str]] = {}
        for error in errors:
            owner = next((d.plugin for docs in self.content.documents.values() for d in docs.values()
                          if d.file == error.file), None)
            if owner:
                by_plugin.setdefault(owner, []).append(str(error))
        for owner, reasons in by_plugin.items():
            self._fail(self.records[owner], "; ".join(reasons))

    def _call_one(self, name: str, hook_name: str, **kwargs: Any) -> Any:
        """Call one plugin's implementation of a hook, passing only the arguments it accepts."""
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            if impl.plugin_name == name:
                return impl.function(*[kwargs[arg] for arg in impl.argnames])
        return None

    def implements(self, name: str, hook_name: str) -> bool:
        return any(i.plugin_name == name for i in getattr(self.pm.hook, hook_name).get_hookimpls())

    def _guarded(self, name: str, hook_name: str, register: Callable) -> list[str]:
        try:
            self._call_one(name, hook_name, register=register)
        except Exception as exc:
            return [f"{hook_name} raised {type(exc).__name__}: {exc}"]
        return []

    def _collect_schemas(self, name: str) -> list[str]:
        errors: list[str] = []

        def register(kind: str, schema: dict | str | Path) -> None:
            errors.extend(map(str, self.content.add_schema(kind, schema, name)))

        return self._guarded(name, "register_schemas", register) + errors

    def _collect_content(self, name: str) -> list[str]:
        errors: list[str] = []
        register = lambda kind, path: errors.extend(map(str, self.content.load(kind, path, name)))  # noqa: E731
        return self._guarded(name, "register_content", register) + errors

    def _collect_slot_types(self, name: str) -> list[str]:
        errors: list[str] = []

        def register(definition: dict) -> None:
            problems = self._definition_problems(self._slot_type_schema, "slot type", definition)
            if problems:
                errors.extend(problems)
                return
            owner = self.slot_types.get(definition["name"])
            if owner:
                errors.append(f"slot type {definition['name']} is registered by both {owner[0]!r} and {name!r}")
                return
            self.slot_types[definition["name"]] = (name, definition)
            self.records[name].slot_types.append(definition["name"])

        return self._guarded(name, "register_slot_types", register) + errors

    def _collect_intents(self, name: str) -> list[str]:
        errors: list[str] = []

        def register(definition: dict, handler: Callable) -> None:
            problems = list(self._definition_problems(self._intent_schema, "intent", definition))
            if not callable(handler):
                problems.append(f"intent {definition.get('name', '?')}: handler is not callable")
            if problems:
                errors.extend(problems)
                return
            intent = definition["name"]
            if intent in self.intents:
                errors.append(f"intent {intent} is claimed by both {self.intents[intent].plugin!r} and {name!r}")
                return
            self.intents[intent] = IntentSpec(intent, name, definition, handler)
            self.records[name].intents.append(intent)

        return self._guarded(name, "register_intents", register) + errors

    def _check_intent_slot_types(self) -> None:
        for spec in list(self.intents.values()):
            for slot in spec.definition.get("slots", []):
                if not slot["type"].startswith("AMAZON.") and slot["type"] not in self.slot_types:
                    record = self.records[spec.plugin]
                    if record.status == "loaded":
                        self._fail(record, f"intent {spec.name}: slot {slot['name']} has type {slot['type']}, "
                                           "which no plugin registered")

    # -- calling -------------------------------------------------------------------------------
    def loaded(self) -> list[str]:
        return [name for name, r in self.records.items() if r.status == "loaded"]

    def call(self, name: str, hook_name: str, **kwargs: Any) -> Any:
        """Call one plugin's hook (exceptions propagate: the caller decides how to apologise)."""
        return self._call_one(name, hook_name, **kwargs)

    def call_each(self, hook_name: str, arguments: Callable[[str], dict]) -> list[tuple[str, Any]]:
        """Call a hook on every loaded plugin separately, with ``arguments(plugin_name)``.

        pluggy stops a broadcast at the first implementation that raises; calling each plugin on
        its own means one broken plugin is logged and skipped while the others still answer.
        """
        results = []
        for name in self.loaded():
            if not self.implements(name, hook_name):
                continue
            try:
                results.append((name, self._call_one(name, hook_name, **arguments(name))))
            except Exception:
                log.exception("plugin %s raised in %s", name, hook_name)
        return results


def _entry_points() -> list[metadata.EntryPoint]:
    return list(metadata.entry_points(group=ENTRY_POINT_GROUP))


def _dist_name(ep: metadata.EntryPoint) -> str | None:
    dist = getattr(ep, "dist", None)
    return dist.metadata["Name"] if dist is not None else None


def _version(dist: str | None) -> str | None:
    if not dist:
        return None
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None
