"""Content: JSON documents validated against JSON Schemas (draft 2020-12), loaded once per process.

Every problem is a :class:`ContentProblem` naming the file, the JSON pointer inside it and the
reason. Schemas may mark a string property with ``"x-refers-to": "<kind>"``; after every file is
loaded, each such value must be the ``id`` of a document of that kind.

Content is read, parsed and checked once per process, when the plugins load, never per request.
The JSON Schema part of that check can be skipped at a cold start: a :class:`ContentLibrary` made
with ``known_valid`` fingerprints (the validation cache, ``content/.validated.json``, written by a
full validation: see ``skill.plugins.write_validation_cache``) does not validate again a schema or a
document whose fingerprint is listed. A fingerprint is a SHA-256 of the document's exact text, its
kind and every registered schema, and the cache is used only for the jsonschema version that
wrote it; anything not listed is validated in full, so a changed file or schema, a new plugin or a
missing or unreadable cache means full validation, as without a cache. Everything else (reading and
parsing each file, ids, duplicate ids, ``x-refers-to`` references) is checked at every start.
``jsonschema`` itself is imported only when something has to be validated.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from referencing import Registry

SCHEMA_DIR = Path(__file__).parent / "schemas"
VALIDATION_CACHE_FORMAT = 1


@dataclass(frozen=True)
class ContentProblem:
    file: str
    pointer: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.pointer or '/'}: {self.reason}"


@dataclass(frozen=True)
class Document:
    kind: str
    id: str
    data: dict
    file: str
    plugin: str


def json_pointer(path: Any) -> str:
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts) if parts else ""


class ContentLibrary:
    """Every schema and content document the loaded plugins brought, by kind and id."""

    def __init__(self, known_valid: frozenset[str] = frozenset()) -> None:
        self.schemas: dict[str, tuple[str, dict]] = {}
        self.documents: dict[str, dict[str, Document]] = {}
        self.known_valid = known_valid  # fingerprints a full validation passed (the validation cache)
        self.validated: set[str] = set()  # fingerprints that passed a full validation here
        self._references: list[tuple[Document, str, str, str]] = []  # doc, pointer, kind, id
        self._validators: dict[str, Draft202012Validator] = {}
        self._registry_cache: Registry | None = None
        self._schemas_fingerprint: str | None = None

    def checked(self, fingerprint: str | None, validate: Callable[[], list]) -> list:
        """``validate()``'s problems, or none without calling it when ``fingerprint`` is known valid.

        ``None`` (something that has no fingerprint) is always validated. What passed once in this
        process is not validated again either (a plan started again, a definition seen twice).
        """
        if fingerprint is not None and (fingerprint in self.known_valid or fingerprint in self.validated):
            return []
        problems = validate()
        if not problems and fingerprint is not None:
            self.validated.add(fingerprint)
        return problems

    # -- schemas -------------------------------------------------------------------------------
    def add_schema(self, kind: str, schema: dict | str | Path, plugin: str, *,
                   check: bool = True) -> list[ContentProblem]:
        """Register the schema of a content kind.

        ``check=False`` skips checking the schema against the 2020-12 metaschema (about 8 ms a
        schema at every cold start). Only for schemas the project ships: tests/test_schemas_shipped.py
        checks every one of them, so a third party's schema is always checked here.
        """
        source = str(schema) if not isinstance(schema, dict) else f"schema of {kind!r}"
        if not isinstance(schema, dict):
            loaded, errors = read_json(Path(schema))
            if errors:
                return errors
            schema = cast(dict, loaded)  # any JSON value; the metaschema check below says if it is a schema
        if kind in self.schemas:
            owner = self.schemas[kind][0]
            return [ContentProblem(source, "", f"content kind {kind!r} is defined by both {owner!r} and {plugin!r}")]
        if check:
            errors = self.checked(fingerprint("schema", canonical(schema)), lambda: _metaschema_errors(schema, source))
            if errors:
                return errors
        self.schemas[kind] = (plugin, schema)
        self.documents.setdefault(kind, {})
        self._schemas_changed()
        return []

    def _schemas_changed(self) -> None:
        # A new schema may be the target of another schema's $ref: validators are built again.
        self._validators.clear()
        self._registry_cache = None
        self._schemas_fingerprint = None

    def validator(self, kind: str) -> Draft202012Validator:
        """The validator for a kind, built once (schemas can refer to each other by ``$id``)."""
        if kind not in self._validators:
            from jsonschema import Draft202012Validator

            self._validators[kind] = Draft202012Validator(self.schemas[kind][1], registry=self._registry())
        return self._validators[kind]

    def _registry(self) -> Registry:
        if self._registry_cache is None:
            from referencing import Registry, Resource
            from referencing.jsonschema import DRAFT202012

            resources = [
                (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT202012))
                for _, schema in self.schemas.values()
                if "$id" in schema
            ]
            self._registry_cache = Registry().with_resources(resources)
        return self._registry_cache

    def schemas_key(self) -> str | None:
        """A fingerprint of every registered schema: a document's validity depends on them all."""
        if self._schemas_fingerprint is None:
            self._schemas_fingerprint = fingerprint(
                "schemas", canonical({kind: schema for kind, (_, schema) in self.schemas.items()}))
        return self._schemas_fingerprint

    # -- documents -----------------------------------------------------------------------------
    def load(self, kind: str, path: str | Path, plugin: str) -> list[ContentProblem]:
        """Load one file or every ``*.json`` file in a folder as documents of ``kind``."""
        path = Path(path)
        if kind not in self.schemas:
            return [ContentProblem(str(path), "",
                                   f"unknown content kind {kind!r}; no plugin registered a schema for it")]
        if path.is_dir():
            files = sorted(path.glob("*.json"))
        elif path.is_file():
            files = [path]
        else:
            return [ContentProblem(str(path), "", "no such file or folder")]
        errors: list[ContentProblem] = []
        for file in files:
            errors.extend(self._load_file(kind, file, plugin))
        return errors

    def _load_file(self, kind: str, file: Path, plugin: str) -> list[ContentProblem]:
        text, data, errors = read_json_text(file)
        if errors:
            return errors
        errors = self.checked(fingerprint("document", kind, self.schemas_key(), text),
                              lambda: self._schema_errors(kind, data, file))
        if errors:
            return errors
        doc_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(doc_id, str) or not doc_id:
            return [ContentProblem(str(file), "/id", "every content document needs a string 'id'")]
        existing = self.documents[kind].get(doc_id)
        if existing is not None:
            return [ContentProblem(str(file), "/id",
                                   f"{kind} id {doc_id!r} is already used by {existing.file} ({existing.plugin})")]
        document = Document(kind, doc_id, data, str(file), plugin)
        self.documents[kind][doc_id] = document
        self._collect_references(document)
        return []

    def _schema_errors(self, kind: str, data: Any, file: Path) -> list[ContentProblem]:
        found = sorted(self.validator(kind).iter_errors(data), key=lambda e: list(e.absolute_path))
        return [ContentProblem(str(file), json_pointer(e.absolute_path), e.message) for e in found]

    def _collect_references(self, document: Document) -> None:
        schema = self.schemas[document.kind][1]
        for pointer, ref_kind, value in _walk_refs(document.data, schema, [], self._registry):
            self._references.append((document, pointer, ref_kind, value))

    def check_references(self) -> list[ContentProblem]:
        """Every ``x-refers-to`` value that names no document of its kind."""
        errors = []
        for document, pointer, kind, value in self._references:
            if value not in self.documents.get(kind, {}):
                errors.append(ContentProblem(document.file, pointer,
                                             f"refers to {kind} {value!r}, which does not exist"))
        return errors

    def remove_plugin(self, plugin: str) -> None:
        """Forget everything ``plugin`` brought (it failed and must not half-work)."""
        for docs in self.documents.values():
            for doc_id in [i for i, d in docs.items() if d.plugin == plugin]:
                del docs[doc_id]
        for kind in [k for k, (owner, _) in self.schemas.items() if owner == plugin]:
            del self.schemas[kind]
            self.documents.pop(kind, None)
        self._schemas_changed()
        self._references = [r for r in self._references if r[0].plugin != plugin]

    # -- reading -------------------------------------------------------------------------------
    def get(self, kind: str, doc_id: str) -> dict:
        return self.documents[kind][doc_id].data

    def find(self, kind: str, doc_id: str) -> dict | None:
        document = self.documents.get(kind, {}).get(doc_id)
        return document.data if document else None

    def all(self, kind: str) -> list[dict]:
        return [d.data for d in self.documents.get(kind, {}).values()]

    def counts_by_plugin(self, plugin: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for kind, docs in self.documents.items():
            n = sum(1 for d in docs.values() if d.plugin == plugin)
            if n:
                counts[kind] = n
        return counts


def read_json(file: Path) -> tuple[Any, list[ContentProblem]]:
    _, data, errors = read_json_text(file)
    return data, errors


def read_json_text(file: Path) -> tuple[str | None, Any, list[ContentProblem]]:
    """The file's text (what its fingerprint is made of), its parsed JSON, and any problem."""
    try:
        text = file.read_text(encoding="utf-8")
        return text, json.loads(text), []
    except json.JSONDecodeError as exc:
        return None, None, [ContentProblem(str(file), "",
                                           f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, None, [ContentProblem(str(file), "", f"cannot be read: {exc}")]


def _metaschema_errors(schema: dict, source: str) -> list[ContentProblem]:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return [ContentProblem(source, json_pointer(exc.absolute_path), f"invalid JSON Schema: {exc.message}")]
    return []


# -- the validation cache ------------------------------------------------------------------------
def canonical(value: Any) -> str | None:
    """One text for equal JSON values, whatever the order of their keys (``None``: not JSON)."""
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return None


def fingerprint(*parts: str | None) -> str | None:
    """A SHA-256 of ``parts``, each length-prefixed so that no two lists of parts share it.

    ``None`` when a part is ``None``: what cannot be fingerprinted is always validated.
    """
    if any(part is None for part in parts):
        return None
    digest = hashlib.sha256()
    for part in cast("tuple[str, ...]", parts):  # none is None (checked above)
        data = part.encode("utf-8")
        digest.update(b"%d:" % len(data))
        digest.update(data)
    return digest.hexdigest()


def jsonschema_version() -> str | None:
    try:
        return metadata.version("jsonschema")
    except metadata.PackageNotFoundError:
        return None


def read_validation_cache(path: Path) -> frozenset[str]:
    """The fingerprints in a validation cache; none (full validation) for a missing, unreadable or
    corrupt cache, or one written with another format or jsonschema version."""
    try:
        cache = json.loads(path.read_text(encoding="utf-8"))
        valid = cache["valid"]
        if (cache["format"] != VALIDATION_CACHE_FORMAT or cache["jsonschema"] != jsonschema_version()
                or not isinstance(valid, list) or not all(isinstance(f, str) for f in valid)):
            return frozenset()
        return frozenset(valid)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return frozenset()


def write_validation_cache(path: Path, fingerprints: set[str]) -> None:
    """Write the cache whole or not at all: a reader never sees half a file."""
    text = json.dumps({"format": VALIDATION_CACHE_FORMAT, "jsonschema": jsonschema_version(),
                       "valid": sorted(fingerprints)}, indent=0)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text + "\n", encoding="utf-8")
    partial.replace(path)


def _walk_refs(instance: Any, schema: Any, path: list, registry: Callable[[], Registry],
               root: dict | None = None) -> Iterator[tuple[str, str, str]]:
    """Yield (pointer, kind, value) for each string in ``instance`` under an ``x-refers-to`` schema.

    ``registry`` is called only for a ``$ref`` to another schema (none of ours has one), so that
    ``referencing`` is not imported when nothing has to be validated.
    """
    if not isinstance(schema, dict):
        return
    root = root if root is not None else schema
    if "$ref" in schema:
        ref = schema["$ref"]
        if ref.startswith("#"):
            target, target_root = _local(root, ref), root
        else:
            target = registry().resolver().lookup(ref).contents
            target_root = registry().resolver().lookup(ref.split("#")[0]).contents if "#" in ref else target
        yield from _walk_refs(instance, target, path, registry, target_root)
    if "x-refers-to" in schema and isinstance(instance, str):
        yield json_pointer(path), schema["x-refers-to"], instance
    if isinstance(instance, dict):
        for key, value in instance.items():
            sub = schema.get("properties", {}).get(key)
            if sub is not None:
                yield from _walk_refs(value, sub, [*path, key], registry, root)
    if isinstance(instance, list) and isinstance(schema.get("items"), dict):
        for index, value in enumerate(instance):
            yield from _walk_refs(value, schema["items"], [*path, index], registry, root)
    for combinator in ("oneOf", "anyOf", "allOf"):
        for sub in schema.get(combinator, []):
            yield from _walk_refs(instance, sub, path, registry, root)


def _local(root: dict, ref: str) -> Any:
    node: Any = root
    for part in ref.lstrip("#").strip("/").split("/"):
        if part:
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node
