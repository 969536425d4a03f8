"""Regenerate the generated sections of ``docs/plugins.md``: hooks, the plugin API and the content schemas.

Why generated: the hookspec docstrings in ``skill/hookspecs.py``, the docstrings of ``Reply``,
``Offer`` and ``Turn`` and the JSON Schemas in ``skill/host/schemas/`` are the contract; a hand-copied
reference drifts (datasette's lesson). Each
section sits between ``<!-- BEGIN GENERATED: name -->`` and ``<!-- END GENERATED: name -->``
markers; everything outside them is hand-written.

    python scripts/gen_plugin_docs.py           # rewrite docs/plugins.md
    python scripts/gen_plugin_docs.py --check   # exit 1 if it is out of date (tests/test_plugin_docs.py)
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "plugins.md"
SCHEMAS = ("exercise", "routine", "plan", "intent", "slot_type")
BEGIN = "<!-- BEGIN GENERATED: {name} (scripts/gen_plugin_docs.py writes this; edit the source instead) -->"
END = "<!-- END GENERATED: {name} -->"


def cell(text: str) -> str:
    """Text for a Markdown table cell: GitHub needs pipes escaped, even inside code spans."""
    return text.replace("|", "\\|")


# -- reStructuredText bits used in the docstrings, as Markdown ---------------------------------
def markdown(text: str) -> str:
    """Inline reST to Markdown: ``code``, :role:`~dotted.Name`, :role:`text <target>`."""

    def role(match: re.Match) -> str:
        body = match.group(1)
        labelled = re.fullmatch(r"(.+?)\s*<([^>]+)>", body)
        if labelled:
            return f"{labelled.group(1)} (`{labelled.group(2)}`)"
        return f"`{body.rsplit('.', 1)[-1] if body.startswith('~') else body}`"

    text = re.sub(r":\w+:`([^`]+)`", role, text)
    return re.sub(r"``([^`]+)``", r"`\1`", text)


def spec_module():
    """``skill.hookspecs`` of this checkout (the script also runs without the project installed)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from skill import hookspecs

    return hookspecs


def hookspecs() -> list[Callable]:
    """The hookspec functions, in the order the module declares them."""
    module = spec_module()
    marker = f"{module.PROJECT}_spec"
    found = [fn for _, fn in inspect.getmembers(module, inspect.isfunction) if hasattr(fn, marker)]
    return sorted(found, key=lambda fn: fn.__code__.co_firstlineno)


def signature(fn: Callable) -> str:
    """``name(arg: Type, ...) -> Type`` with the annotations as written (no quotes)."""
    annotations = {k: str(v).replace("'", "").replace('"', "") for k, v in fn.__annotations__.items()}
    args = ", ".join(f"{name}: {annotations[name]}" if name in annotations else name
                     for name in inspect.signature(fn).parameters)
    return f"{fn.__name__}({args}) -> {annotations.get('return', 'None')}"


def split_docstring(doc: str) -> dict:
    """Summary, prose paragraphs, ``:param:`` entries, ``:return:`` and the ``Example::`` block."""
    lines = inspect.cleandoc(doc).splitlines()
    parts: dict = {"prose": [], "params": {}, "returns": "", "example": ""}
    current: list[str] | None = None
    paragraph: list[str] = []
    for index, line in enumerate(lines):
        if line.strip() == "Example::":
            parts["example"] = inspect.cleandoc("\n".join(lines[index + 1:]))
            break
        field = re.match(r":param (\w+):\s*(.*)|:return:\s*(.*)", line)
        if field:
            current = [field.group(2) if field.group(1) else field.group(3)]
            if field.group(1):
                parts["params"][field.group(1)] = current
            else:
                parts["returns"] = current
        elif current is not None and line.startswith("    "):
            current.append(line.strip())
        elif not line.strip():
            current = None
            if paragraph:
                parts["prose"].append(" ".join(paragraph))
                paragraph = []
        elif current is None:
            paragraph.append(line.strip())
    if paragraph:
        parts["prose"].append(" ".join(paragraph))
    parts["params"] = {k: " ".join(v) for k, v in parts["params"].items()}
    parts["returns"] = " ".join(parts["returns"]) if parts["returns"] else ""
    return parts


def hook_section(fn: Callable) -> str:
    parts = split_docstring(fn.__doc__ or "")
    summary, *details = parts["prose"] or [""]
    out = [f"### `{signature(fn)}`", "", markdown(summary), ""]
    if details:
        out += [f"**When it fires.** {markdown(details[0])}", ""] + [markdown(p) + "\n" for p in details[1:]]
    if parts["params"]:
        out += ["| argument | meaning |", "|---|---|"]
        out += [f"| `{name}` | {cell(markdown(text))} |" for name, text in parts["params"].items()]
        out.append("")
    out += [f"**Returns:** {markdown(parts['returns'])}", ""]
    if parts["example"]:
        out += ["**Example:**", "", "```python", parts["example"], "```", ""]
    return "\n".join(out)


def hook_reference() -> str:
    intro = markdown(inspect.cleandoc(spec_module().__doc__ or "").split("\n\n", 1)[1])
    index = ["| hook | fires |", "|---|---|"]
    for fn in hookspecs():
        summary = markdown(split_docstring(fn.__doc__)["prose"][0])
        index.append(f"| [`{fn.__name__}`](#{_anchor(signature(fn))}) | {summary} |")
    return "\n\n".join([intro, "\n".join(index), "\n".join(map(hook_section, hookspecs()))]).rstrip() + "\n"


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


# -- Reply, Offer, Turn ------------------------------------------------------------------------
def first_paragraph(obj: object) -> str:
    return markdown(" ".join(inspect.cleandoc(inspect.getdoc(obj) or "").split("\n\n")[0].split()))


def member_lines(cls: type) -> list[str]:
    """Public methods and properties defined on ``cls`` itself, with their first docstring paragraph."""
    lines = []
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(member, property) and member.__doc__:
            lines.append(f"- `{name}`: {first_paragraph(member)}")
        elif isinstance(member, (classmethod, staticmethod)) or inspect.isfunction(member):
            function = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
            params = list(inspect.signature(function).parameters.values())
            params = params if isinstance(member, staticmethod) else params[1:]  # no self or cls
            args = ", ".join(str(p).replace("'", "") for p in params)
            prefix = f"{cls.__name__}." if isinstance(member, classmethod) else ""
            lines.append(f"- `{prefix}{name}({args})`" + (f": {first_paragraph(function)}" if function.__doc__ else ""))
    return lines


def api_section(cls: type) -> str:
    out = [f"### `skill.{cls.__name__}`", "", markdown(inspect.cleandoc(cls.__doc__ or "")), ""]
    if dataclasses.is_dataclass(cls):
        out += ["| field | type | default |", "|---|---|---|"]
        for field in dataclasses.fields(cls):
            default = (repr(field.default) if field.default is not dataclasses.MISSING
                       else f"{field.default_factory.__name__}()" if field.default_factory is not dataclasses.MISSING
                       else "required")
            out.append(f"| `{field.name}` | `{cell(str(field.type))}` | `{default}` |")
        out.append("")
    members = member_lines(cls)
    return "\n".join(out + members + ([""] if members else []))


def api_reference() -> str:
    """Everything in ``skill.__all__`` on one page: a table of every name, then the classes plugins
    handle most (Reply, Offer, Speech, Turn) in full."""
    spec_module()
    import skill

    rows = ["| name | what it is |", "|---|---|"]
    for name in sorted(n for n in skill.__all__ if not n.startswith("_")):
        obj = getattr(skill, name)
        if inspect.isfunction(obj):
            label = f"`{name}{str(inspect.signature(obj)).replace(chr(39), '')}`"
        else:
            label = f"`{name}`"
        summary = first_paragraph(obj) if getattr(obj, "__doc__", None) else ""
        rows.append(f"| {cell(label)} | {cell(summary)} |")
    detailed = "\n".join(api_section(getattr(skill, name)) for name in ("Reply", "Offer", "Speech", "Turn"))
    return "\n".join(rows) + "\n\n" + detailed


# -- the JSON Schemas ------------------------------------------------------------------------
def type_of(schema: dict, defs: dict) -> str:
    """A short human description of a property's schema."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        target = defs.get(name, {})
        return f"{name} ({type_of(target, defs)})" if target and "properties" not in target else name
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    if "oneOf" in schema:
        return " or ".join(type_of(sub, defs) for sub in schema["oneOf"])
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    kind = schema.get("type", "any")
    if kind == "array":
        items = schema.get("items", {})
        text = f"array of {type_of(items, defs)}" if items else "array"
    elif kind == "object" and "properties" in schema:
        text = "object: " + ", ".join(f"`{k}`" + ("" if k in schema.get("required", []) else "?")
                                      for k in schema["properties"])
    else:
        text = str(kind)
    limits = [f"{label} {schema[key]}" for key, label in (("minimum", "min"), ("maximum", "max"),
                                                            ("minLength", "min length"), ("maxLength", "max length"),
                                                            ("minItems", "min items"), ("maxItems", "max items"))
              if key in schema]
    if "pattern" in schema:
        limits.append("no `<`, `>` or `&`" if schema["pattern"] == "^[^<>&]*$" else f"pattern `{schema['pattern']}`")
    if "x-refers-to" in schema:
        limits.append(f"the id of a document of kind `{schema['x-refers-to']}`")
    return text + (f" ({'; '.join(limits)})" if limits else "")


def field_rows(schema: dict, defs: dict) -> list[str]:
    """A Markdown table of an object schema's properties."""
    required = set(schema.get("required", []))
    rows = ["| field | required | type | notes |", "|---|---|---|---|"]
    for field, sub in schema.get("properties", {}).items():
        cells = [f"`{field}`", "yes" if field in required else "", type_of(sub, defs), sub.get("description", "")]
        rows.append("| " + " | ".join(map(cell, cells)) + " |")
    return rows


def nested_objects(schema: dict) -> list[tuple[str, dict]]:
    """Objects inside a schema worth their own table: object properties, object items and $defs."""
    found = []
    for field, sub in schema.get("properties", {}).items():
        inner = sub.get("items", sub)
        if "properties" in inner:
            found.append((f"`{field}`" + (" items" if inner is not sub else ""), inner))
    found += [(f"`$defs/{name}`", sub) for name, sub in schema.get("$defs", {}).items() if "properties" in sub]
    return found


def conditions(schema: dict) -> list[str]:
    """``allOf`` if/then rules of the form: when ``a`` is X, ``b`` requires fields."""
    rules = []
    for rule in schema.get("allOf", []):
        when = {k: v["const"] for k, v in rule.get("if", {}).get("properties", {}).items() if "const" in v}
        then = {k: v["required"] for k, v in rule.get("then", {}).get("properties", {}).items() if "required" in v}
        rules += [f"- when `{field}` is `{value}`, `{target}` needs " + ", ".join(f"`{n}`" for n in needed)
                  for field, value in when.items() for target, needed in then.items()]
    return rules


def schema_section(name: str) -> str:
    path = ROOT / "skill" / "host" / "schemas" / f"{name}.schema.json"
    schema = json.loads(path.read_text())
    defs = schema.get("$defs", {})
    link = f"[`skill/host/schemas/{path.name}`](../skill/host/schemas/{path.name})"
    about = f": {schema['description']}" if "description" in schema else ""
    out = [f"### {schema['title']} (`{name}`)", "", link + about, "", *field_rows(schema, defs), ""]
    if conditions(schema):
        out += [*conditions(schema), ""]
    for label, sub in nested_objects(schema):
        out += [f"{label}:", "", *field_rows(sub, defs), ""]
    return "\n".join(out)


def schema_reference() -> str:
    return "\n".join(schema_section(name) for name in SCHEMAS)


# -- the document ----------------------------------------------------------------------------
SECTIONS: dict[str, Callable[[], str]] = {"hook-reference": hook_reference, "api": api_reference,
                                          "schemas": schema_reference}


def updated(text: str) -> str:
    """``text`` with every generated section regenerated; a missing marker pair is an error."""
    for name, render in SECTIONS.items():
        begin, end = BEGIN.format(name=name), END.format(name=name)
        found = re.search(re.escape(begin) + r"\n.*?" + re.escape(end), text, re.DOTALL)
        if not found:
            raise SystemExit(f"{DOC}: the markers of section {name!r} are missing:\n{begin}\n{end}")
        text = text[:found.start()] + f"{begin}\n\n{render()}\n{end}" + text[found.end():]
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if docs/plugins.md is out of date")
    args = parser.parse_args(argv)
    current = DOC.read_text()
    wanted = updated(current)
    if args.check:
        if current != wanted:
            print(f"{DOC} is out of date: run python scripts/gen_plugin_docs.py", file=sys.stderr)
            return 1
        print(f"ok: {DOC} is up to date")
        return 0
    DOC.write_text(wanted)
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
