"""From check results to a plan, by the rules in ``content/diagnosis/plan_rules.json``.

The seed's reasoning, as content: tight hamstrings point to stretching the hip flexors and
quadriceps (not the hamstrings); tight glutes get glute stretches; everyone gets strength and core.
"""

from __future__ import annotations

LEVEL_SCORE = {"free": 0, "bit_tight": 1, "very_tight": 2}


def tight_groups(levels: dict[str, dict[str, str]]) -> list[str]:
    """Groups where either side felt at least a bit tight, in the order they were checked."""
    return [group for group, sides in levels.items() if any(LEVEL_SCORE[v] > 0 for v in sides.values())]


def make_plan(rules: dict, levels: dict[str, dict[str, str]]) -> dict:
    """``{"stretch": [routine ids], "say": [sentences], "strength": id, "core": id}``."""
    tight = set(tight_groups(levels))
    stretch: list[str] = []
    say: list[str] = []
    for rule in rules["rules"]:
        if rule["if_tight"] in tight:
            stretch += [r for r in rule["stretch"] if r not in stretch]
            say.append(rule["say"])
    if not stretch:
        stretch = [rules["all_free_routine"]]
        say.append(rules["all_free"])
    say.append(rules["always"]["say"])
    return {"stretch": stretch, "say": say, "strength": rules["always"]["strength_routine"],
            "core": rules["always"]["core_routine"]}


def group_score(sides: dict[str, str]) -> int:
    return sum(LEVEL_SCORE[v] for v in sides.values())


def comparisons(rules: dict, previous: dict, current: dict, when: str, names: dict[str, str]) -> list[str]:
    """One sentence per group checked both times: freer, tighter or about the same."""
    sentences = []
    for group, sides in current.items():
        if group not in previous:
            continue
        before, now = group_score(previous[group]), group_score(sides)
        key = "freer" if now < before else "tighter" if now > before else "same"
        sentences.append(rules["compare"][key].format(group=names.get(group, group), when=when))
    return sentences
