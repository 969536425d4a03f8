"""Every combination of check results gives the plan the seed's reasoning implies.

3 levels x 4 groups x 2 sides = 6561 combinations, through ``plan_rules.make_plan`` with the real
rules content; the expectation is written out independently in ``expected_stretch_routines``.
"""

from __future__ import annotations

import itertools
import json

import pytest
from test_back_check import (
    CONTENT,
    GROUPS,
    LEVELS,
    SIDES,
    content_document,
    diagnosis_store,
    expected_stretch_routines,
    full_check,
    player_plan,
    routine_exercises,
    uniform,
)

from plugins.diagnosis.plan_rules import comparisons, make_plan

RULES = json.loads((CONTENT / "diagnosis" / "plan_rules.json").read_text(encoding="utf-8"))
SLOTS = [(group, side) for group in GROUPS for side in SIDES]
TARGETS = {"hip_flexors": "hip_flexors", "quadriceps": "quadriceps", "glutes": "glutes"}


def all_combinations():
    for values in itertools.product(LEVELS, repeat=len(SLOTS)):
        levels: dict = {}
        for (group, side), value in zip(SLOTS, values):
            levels.setdefault(group, {})[side] = value
        yield levels


def _exercise(exercise_id: str) -> dict:
    return content_document("exercises", exercise_id)


def test_there_are_6561_combinations():
    assert sum(1 for _ in all_combinations()) == 3 ** 8 == 6561


def test_every_combination_gives_the_plan_the_seed_implies():
    problems = []
    for levels in all_combinations():
        plan = make_plan(RULES, levels)
        expected = expected_stretch_routines(levels)
        stretch = plan["stretch"]
        if set(stretch) != expected or len(stretch) != len(set(stretch)):
            problems.append(f"{levels}: stretch {stretch}, expected {sorted(expected)}")
        if "hamstrings" in stretch:
            problems.append(f"{levels}: the hamstring routine is in the plan")
        if plan["strength"] != "full_body" or plan["core"] != "core":
            problems.append(f"{levels}: strength {plan['strength']}, core {plan['core']}")
        if RULES["always"]["say"] not in plan["say"]:
            problems.append(f"{levels}: the plan does not say strength and core work are for everyone")
        if len(problems) > 10:
            break
    assert not problems, "\n".join(problems)


def test_what_the_plan_says_matches_what_was_tight():
    """Each tight group's reason is said, once; 'nothing felt tight' only when nothing did."""
    reasons = {rule["if_tight"]: rule["say"] for rule in RULES["rules"]}
    problems = []
    for levels in all_combinations():
        said = make_plan(RULES, levels)["say"]
        tight = {g for g, sides in levels.items() if any(v != "free" for v in sides.values())}
        for group, reason in reasons.items():
            if (reason in said) != (group in tight):
                problems.append(f"{levels}: reason for {group} said={reason in said}")
        if (RULES["all_free"] in said) != (not tight):
            problems.append(f"{levels}: all-free sentence said={RULES['all_free'] in said}")
        if len(said) != len(set(said)):
            problems.append(f"{levels}: a sentence is said twice")
        if len(problems) > 10:
            break
    assert not problems, "\n".join(problems)


def test_one_tight_side_is_enough_and_either_level_counts():
    for group, side, level in itertools.product(GROUPS, SIDES, ["bit_tight", "very_tight"]):
        levels = uniform("free")
        levels[group] = {**levels[group], side: level}
        stretch = set(make_plan(RULES, levels)["stretch"])
        if group == "hamstrings":
            assert stretch == {"hip_flexors", "quadriceps"}, (group, side, level)
        else:
            assert stretch == {TARGETS[group]}, (group, side, level)


def test_partial_results_from_stopped_checks_still_follow_the_rules():
    assert set(make_plan(RULES, {"hamstrings": {"right": "bit_tight", "left": "free"}})["stretch"]) == \
        {"hip_flexors", "quadriceps"}
    assert make_plan(RULES, {"glutes": {"right": "free", "left": "free"}})["stretch"] == ["after_run"]


def test_the_suggested_routines_target_the_groups_they_are_for():
    """The routine content really stretches what the rule names (and the hamstring rule avoids hamstrings)."""
    for routine_id, group in [("hip_flexors", "hip_flexors"), ("quadriceps", "quadriceps"), ("glutes", "glutes")]:
        targets = [_exercise(e)["targets"] for e in routine_exercises([routine_id])]
        assert all(group in t for t in targets), (routine_id, targets)
    hamstring_rule = next(r for r in RULES["rules"] if r["if_tight"] == "hamstrings")
    for exercise_id in routine_exercises(hamstring_rule["stretch"]):
        assert _exercise(exercise_id)["targets"][0] != "hamstrings", exercise_id
    assert set(routine_exercises([RULES["all_free_routine"]])) >= {"hip_flexor_stretch", "quad_stretch",
                                                                  "glute_stretch", "hamstring_stretch"}


@pytest.mark.parametrize("before, after, key", [("very_tight", "bit_tight", "freer"), ("free", "bit_tight", "tighter"),
                                                ("bit_tight", "bit_tight", "same")])
def test_comparisons_say_freer_tighter_or_the_same(before, after, key):
    said = comparisons(RULES, {"glutes": {"right": before, "left": before}},
                       {"glutes": {"right": after, "left": after}, "hamstrings": {"right": "free", "left": "free"}},
                       "March", {"glutes": "glutes"})
    assert said == [RULES["compare"][key].format(group="glutes", when="March")]


# -- end to end: a handful of combinations -------------------------------------------------------
END_TO_END = [
    {"hip_flexors": {"right": "free", "left": "free"}, "quadriceps": {"right": "free", "left": "free"},
     "hamstrings": {"right": "very_tight", "left": "bit_tight"}, "glutes": {"right": "free", "left": "free"}},
    {"hip_flexors": {"right": "bit_tight", "left": "free"}, "quadriceps": {"right": "free", "left": "free"},
     "hamstrings": {"right": "free", "left": "free"}, "glutes": {"right": "free", "left": "very_tight"}},
    {"hip_flexors": {"right": "free", "left": "free"}, "quadriceps": {"right": "bit_tight", "left": "bit_tight"},
     "hamstrings": {"right": "free", "left": "free"}, "glutes": {"right": "free", "left": "free"}},
    {"hip_flexors": {"right": "very_tight", "left": "very_tight"},
     "quadriceps": {"right": "very_tight", "left": "free"},
     "hamstrings": {"right": "bit_tight", "left": "free"}, "glutes": {"right": "bit_tight", "left": "bit_tight"}},
]


@pytest.mark.parametrize("levels", END_TO_END, ids=["hamstrings", "hips and glutes", "quads", "mixed"])
def test_end_to_end_the_spoken_plan_and_the_routine_match(alexa, levels):
    plan = full_check(alexa, levels)
    expected = expected_stretch_routines(levels)
    for rule in RULES["rules"]:
        assert (rule["say"] in plan.speech) == (rule["if_tight"] in {g for g in levels if set(levels[g].values())
                                                                    != {"free"}}), rule["if_tight"]
    assert RULES["always"]["say"] in plan.speech
    assert diagnosis_store(alexa)["checks"][-1]["levels"] == levels
    played = player_plan(alexa.say("yes"))
    assert {b["id"] for b in played["blocks"]} == set(routine_exercises(sorted(expected)))
    if set(levels["hamstrings"].values()) != {"free"}:  # tight hamstrings never bring the hamstring stretch
        assert "hamstring_stretch" not in {b["id"] for b in played["blocks"]}
