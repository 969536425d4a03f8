"""Intent templates: sentences with alternatives, optional words, slots and shared phrases.

The syntax is hassil's, the one Home Assistant Assist uses: ``(start|begin) [a] strength
(session|workout)``. ``(a|b)`` is a choice, ``[a]`` an optional part, ``{slot}`` a slot of the
intent and ``<rule>`` a shared phrase from :data:`CARRIERS` ("please", "can we", "let's", ...).
:func:`expand` turns a template into Alexa sample utterances, keeping ``{slot}`` as it is, in a
fixed order, so a model built twice from the same templates is the same text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from hassil.expression import (
    Alternative,
    Expression,
    ListReference,
    Permutation,
    RuleReference,
    Sequence,
    TextChunk,
)
from hassil.parse_expression import parse_sentence

# Shared carrier phrases, each a template itself. They are for the start and end of a sentence,
# where people add them; what a device's speech recognition drops ("um", "uh") is left to it.
CARRIERS: dict[str, str] = {
    "please": "please",
    "can_we": "(can we|could we|can you|could you|shall we|will you)",
    "lets": "(let's|lets|let us)",
    "i_want": "(i want to|i wanna|i'd like to|i would like to|i need to|i'd love to)",
    "lead": "(<can_we>|<lets>|<i_want>|please)",
    "start": "(start|begin|do|give me|start me on|take me through|run)",
    "my": "(my|the)",
}


class TemplateError(ValueError):
    """A template that cannot be read or refers to a slot or phrase that does not exist."""


@dataclass
class Expansion:
    """The samples one intent's templates make, and how many were left out to stay within the cap."""

    samples: list[str] = field(default_factory=list)
    left_out: int = 0


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _expand_expression(expression: Expression, rules: dict[str, str], depth: int = 0) -> Iterator[tuple[str, ...]]:
    if isinstance(expression, TextChunk):
        yield _words(expression.text)
    elif isinstance(expression, ListReference):
        yield ("{" + expression.slot_name + "}",)
    elif isinstance(expression, RuleReference):
        if expression.rule_name not in rules:
            raise TemplateError(f"<{expression.rule_name}> is not a shared phrase (known: {', '.join(sorted(rules))})")
        if depth > 5:
            raise TemplateError(f"<{expression.rule_name}> refers to itself")
        yield from _expand_expression(parse_sentence(rules[expression.rule_name]).expression, rules, depth + 1)
    elif isinstance(expression, Permutation):
        for order in itertools.permutations(expression.items):
            yield from _expand_sequence(list(order), rules, depth)
    elif isinstance(expression, Alternative):
        for item in expression.items:
            yield from _expand_expression(item, rules, depth)
    elif isinstance(expression, Sequence):
        yield from _expand_sequence(expression.items, rules, depth)
    else:  # pragma: no cover - hassil's other expression kinds are not used in our syntax
        raise TemplateError(f"unsupported template part {type(expression).__name__}")


def _expand_sequence(items: list[Expression], rules: dict[str, str], depth: int) -> Iterator[tuple[str, ...]]:
    parts = [list(dict.fromkeys(_expand_expression(item, rules, depth))) for item in items]
    for combination in itertools.product(*parts):
        yield tuple(word for part in combination for word in part)


def expand(template: str, slots: Iterable[str] = (), rules: dict[str, str] | None = None) -> list[str]:
    """Every sentence ``template`` stands for, in order, without repeats; ``{slot}`` is kept.

    >>> expand("(start|begin) [a] strength session")
    ['start a strength session', 'start strength session', 'begin a strength session', 'begin strength session']
    """
    rules = CARRIERS if rules is None else rules
    if re.search(r"[\w'][(\[<{]|[)\]>}]\w", template):
        raise TemplateError(f"{template!r}: put a space between a word and a bracket; write "
                            "'(stretch|stretches)', not 'stretch[es]'")
    try:
        sentence = parse_sentence(template)
    except Exception as exc:  # hassil raises several error types for unreadable templates
        raise TemplateError(f"{template!r} cannot be read: {exc}") from exc
    allowed = set(slots)
    found = []
    for words in _expand_expression(sentence.expression, rules):
        text = " ".join(words)
        for slot in re.findall(r"\{(\w+)\}", text):
            if slot not in allowed:
                raise TemplateError(f"{template!r} uses {{{slot}}}, which the intent does not declare")
        if text:
            found.append(text)
    return list(dict.fromkeys(found))


def expand_all(templates: Iterable[str], slots: Iterable[str] = (), cap: int | None = None,
               rules: dict[str, str] | None = None) -> Expansion:
    """The samples of several templates, in order, without repeats.

    Beyond ``cap``, every template keeps its shortest sentences, taken in turn from each template
    so that none is crowded out by another's many optional words; the order stays the template order.
    """
    slots = list(slots)
    per_template = [expand(template, slots, rules) for template in templates]
    samples = list(dict.fromkeys(s for expanded in per_template for s in expanded))
    if cap is None or len(samples) <= cap:
        return Expansion(samples)
    queues = [sorted(expanded, key=lambda s: len(s.split())) for expanded in per_template]
    keep: set[str] = set()
    depth = 0
    while len(keep) < cap and any(depth < len(q) for q in queues):
        for queue in queues:
            if depth < len(queue) and len(keep) < cap:
                keep.add(queue[depth])
        depth += 1
    return Expansion([s for s in samples if s in keep], left_out=len(samples) - len(keep))
