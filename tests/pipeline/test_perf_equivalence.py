"""The shortcuts taken for speed give exactly what the plain code they replace gave.

* The engine measures a run of units (planned seconds, SSML length) without rendering it.
* ``locate`` reuses the segment this process planned instead of planning it again, and finds the
  unit playing by bisecting running sums instead of walking the units.
* Our stores skip a save whose attributes encode as they were read.
* Plans from built-in plugins are not validated at run time: here they are.
* ``ssml.escape`` replaces ``xml.sax.saxutils.escape``.
* A cold start skips validating what the validation cache lists, and only that.
* A request's shape gets a quick walk; only what it does not plainly accept is walked again.
* A plan's minutes and a session plan's validity are remembered by the plan's exact bytes.
"""

from __future__ import annotations

import copy
import itertools
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape as sax_escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.api.routines import plan_from_routine
from skill.engine import player as player_module
from skill.engine.memo import exact_bytes
from skill.engine.player import _Measure, _parts, locate, plan_segment
from skill.engine.timeline import Position, Unit, render_block, unit_seconds
from skill.host import content as content_module
from skill.host import host as plugins_module
from skill.host.content import ContentLibrary, read_validation_cache, write_validation_cache
from skill.host.host import PluginHost
from skill.kit.simulator import AlexaSimulator, make_host, make_skill
from skill.pipeline import app as app_module
from skill.pipeline import envelope as envelope_module
from skill.pipeline import state_guard
from skill.pipeline.app import load_from_env
from skill.pipeline.envelope import BadRequest
from skill.pipeline.exchange import Exchange
from skill.speech import ssml
from skill.speech.builder import Speech
from skill.store.sqlite import SQLiteAdapter
from skill.store.user_state import StoredSections

RATES = (100, 80, 125)
SCALES = (0.5, 1.0, 1.75)


@pytest.fixture(scope="module")
def host():
    return make_host()


@pytest.fixture(scope="module")
def plans(host):
    return [plan_from_routine(host.content, routine_id) for routine_id in sorted(host.content.documents["routine"])]


def rendered(units: list[Unit], rate: int) -> tuple[float, int]:
    """What the engine measured before: seconds summed over the units, and the rendered SSML's length."""
    return sum(unit_seconds(u, rate) for u in units), len(Speech().extend(_parts(units)).ssml(rate))


def measured(units: list[Unit], rate: int) -> tuple[float, int]:
    measure = _Measure().add(units, rate)
    return sum(measure.seconds), measure.ssml_length(rate)


def starts(block: dict, index: int) -> list[Position]:
    """Every kind of starting point inside a block: its setup, and each set's work and rest part way."""
    found = [Position.start_of(index)]
    for side in range(max(1, len(block.get("sides") or []))):
        for set_index in range(block["sets"]):
            found += [Position(index, side, set_index, "set"), Position(index, side, set_index, "work", 3),
                      Position(index, side, set_index, "rest", 4)]
    return found


def test_measuring_a_run_of_units_equals_rendering_it(plans):
    cases = 0
    for plan, scale, rate in itertools.product(plans, SCALES, RATES):
        for index, block in enumerate(plan["blocks"]):
            for start in starts(block, index):
                units = list(render_block(plan, start, scale, recue=start.phase in ("work", "rest")))
                for end in range(0, len(units) + 1, max(1, len(units) // 7)):
                    assert measured(units[:end], rate) == rendered(units[:end], rate)
                    cases += 1
    assert cases > 2000


@pytest.mark.parametrize("rate", RATES)
def test_measuring_edge_cases_equals_rendering(rate):
    at = Position()
    pieces = [Unit(at, text="Say <this> & that."), Unit(at, text="   "), Unit(at, text="  padded  "),
              Unit(at, seconds=0.0001), Unit(at, seconds=0), Unit(at, seconds=12.5), Unit(at, seconds=10),
              Unit(at, text="Next.")]
    for length in range(4):
        for units in itertools.product(pieces, repeat=length):
            assert measured(list(units), rate) == rendered(list(units), rate)


def test_a_measure_grown_from_a_copy_equals_one_measured_whole(plans):
    plan = plans[0]
    first, second = (list(render_block(plan, Position.start_of(i), 1.0)) for i in (0, 1))
    grown = _Measure().add(first, 90).copy().add(second, 90)
    assert (sum(grown.seconds), grown.ssml_length(90)) == rendered(first + second, 90)


def test_locate_with_the_planned_segment_equals_planning_again(plans):
    started = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
    for plan, continuous in itertools.product(plans[:4], (False, True)):
        player = {"plan": plan, "continuous": continuous}
        segment = plan_segment(plan, Position(), 1.0, 100, continuous, False, 2.0)
        player.update(start=Position().as_dict(), end=segment.end.as_dict() if segment.end else None,
                      at=started.isoformat(), lead=2.0, recue=False, scale=1.0, rate=100, paused=None,
                      segment_continuous=continuous)
        player["segment_id"] = player_module._PLANNED.put(player_module._segment_inputs(plan, player), segment)
        fresh = dict(player, segment_id=None)
        for second in range(0, 500, 7):
            now = started + timedelta(seconds=second)
            assert locate(plan, player, now) == locate(plan, fresh, now)


def _walked(units: list[Unit], elapsed: float, rate: int) -> tuple[int, float]:
    """The unit playing at ``elapsed`` as locate found it by walking the units."""
    clock = 0.0
    for index, unit in enumerate(units):
        length = unit_seconds(unit, rate)
        if elapsed < clock + length - player_module.BOUNDARY_S:
            return index, clock
        clock += length
    return len(units), clock


def test_the_unit_playing_is_the_one_a_walk_over_the_units_finds(plans):
    for plan, rate in itertools.product(plans[:4], (80, 100, 115)):
        segment = plan_segment(plan, Position(), 1.0, rate, True, False, 1.5)
        ends = list(itertools.accumulate(unit_seconds(u, rate) for u in segment.units))
        moments = [-1.0, 0.0] + [e + d for e in ends for d in (-1e-9, -1e-12, 0.0, 1e-12, 0.3)]
        for elapsed in moments:
            index, started = segment.unit_at(elapsed, rate)
            walked_index, walked_start = _walked(segment.units, elapsed, rate)
            assert index == walked_index
            if index < len(segment.units):
                assert started == walked_start


def test_a_segment_planned_again_for_another_process_id_is_planned_once(plans, monkeypatch):
    plan = plans[0]
    started = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
    player = {"plan": plan, "continuous": False, "start": Position().as_dict(), "end": None,
              "at": started.isoformat(), "lead": 0.0, "recue": False, "scale": 1.0, "rate": 100,
              "paused": None, "segment_continuous": False, "segment_id": "from-another-container"}
    planned = []
    real = player_module.plan_segment
    monkeypatch.setattr(player_module, "plan_segment", lambda *a, **k: planned.append(1) or real(*a, **k))
    first = locate(plan, player, started + timedelta(seconds=30))
    again = locate(plan, player, started + timedelta(seconds=30))
    assert first == again and len(planned) == 1
    assert locate(plan, dict(player, rate=80), started + timedelta(seconds=30)) is not None
    assert len(planned) == 2  # other inputs under the same id: planned for what they say


def test_a_cached_segment_is_not_used_for_other_inputs(plans):
    plan = plans[0]
    segment = plan_segment(plan, Position(), 1.0, 100, False, False)
    player = {"plan": plan, "continuous": False, "start": Position().as_dict(), "scale": 1.0, "rate": 100}
    segment_id = player_module._PLANNED.put(player_module._segment_inputs(plan, player), segment)
    assert player_module._PLANNED.get(segment_id, player_module._segment_inputs(plan, player)) is segment
    slower = dict(player, rate=80)
    assert player_module._PLANNED.get(segment_id, player_module._segment_inputs(plan, slower)) is None
    assert player_module._PLANNED.get("unknown", player_module._segment_inputs(plan, player)) is None


# -- the store -----------------------------------------------------------------------------------
class CountingSQLite(SQLiteAdapter):
    def __init__(self, path) -> None:
        super().__init__(path)
        self.writes: list[list[str]] = []  # the sections each write changed

    def write_sections(self, request_envelope, changes, read) -> None:
        self.writes.append(sorted(changes))
        super().write_sections(request_envelope, changes, read)


def test_unused_sections_are_never_decoded_or_encoded_and_only_changes_are_written():
    read = {"prefs": '{"rate":1.0}', "history": "not even JSON: nothing may touch it", "paused": '{"a":1}'}
    stored = StoredSections(read)
    assert stored.get("prefs") == {"rate": 1.0}
    assert stored.changes() == {}  # read, not changed
    stored.get("prefs")["rate"] = 1  # 1 and 1.0 are different JSON
    stored.remove("paused")
    stored.setdefault("plugins", {})["strength_coach"] = {"level": 2}
    assert stored.changes() == {"prefs": '{"rate":1}', "paused": None, "plugins": '{"strength_coach":{"level":2}}'}
    assert stored.get("paused", "gone") == "gone"
    stored.remove("nothing stored")
    assert "nothing stored" not in stored.changes()


def test_a_routine_turn_writes_only_the_resume_point(tmp_path):
    store = CountingSQLite(tmp_path / "store.db")
    skill = make_skill(tmp_path / "unused.db")
    skill.adapter = store
    skill.skill = skill._build()
    alexa = AlexaSimulator(skill, user_id="amzn1.ask.account.SECTIONS")
    for _day in range(3):  # some history to not rewrite
        alexa.launch()
        alexa.say("start my stretches")
        for _ in range(20):
            if "Anything else?" in alexa.say("next").speech:
                break
        alexa.next_day()
    alexa.launch()
    alexa.say("start my stretches")
    before = len(store.writes)
    alexa.say("next")
    assert store.writes[before:] == [["paused"]]
    assert len(alexa.stored["history"]) == 3
    before = len(store.writes)
    alexa.say("skip this one", after=20)  # a mark for the plan's owner changes the plan: rewritten
    assert store.writes[before:] == [["paused", "paused_plan"]]
    assert {"skipped": "quad_stretch"} in alexa.stored["paused_plan"]["data"]["marks"]


def test_a_resume_point_saved_with_its_plan_inside_is_still_picked_up(tmp_path):
    skill = make_skill(tmp_path / "store.db")
    alexa = AlexaSimulator(skill, user_id="amzn1.ask.account.OLD-PAUSED")
    alexa.launch()
    alexa.say("start my stretches")
    alexa.say("stop", after=40)
    stored = alexa.stored
    stored["paused"]["plan"] = stored.pop("paused_plan")  # the layout before the plan had its own section
    skill.adapter.save_attributes({"context": {"System": {"user": {"userId": alexa.user_id}}}}, stored)
    alexa.next_day()
    assert "Pick up there?" in alexa.launch().speech
    assert "Picking up where you left off" in alexa.say("yes").speech


class SnapshotOnly:
    """An ask-sdk adapter without sections: the conversation saves its whole document when it changed."""

    def __init__(self, store: SQLiteAdapter) -> None:
        self.store, self.writes = store, 0

    def get_attributes(self, envelope):
        return self.store.get_attributes(envelope)

    def save_attributes(self, envelope, attributes) -> None:
        self.writes += 1
        self.store.save_attributes(envelope, attributes)

    def delete_attributes(self, envelope) -> None:
        self.store.delete_attributes(envelope)


def writes_per_turn(skill, adapter, counter) -> list[int]:
    skill.adapter = adapter
    skill.skill = skill._build()
    alexa = AlexaSimulator(skill, user_id="amzn1.ask.account.WRITES")
    turns = [alexa.launch, lambda: alexa.say("help"), lambda: alexa.say("start my stretches"),
             lambda: alexa.say("pause", after=30), lambda: alexa.say("resume"),
             lambda: alexa.say("make the holds longer"), lambda: alexa.say("stop")]
    counts = []
    for turn in turns:
        turn()
        counts.append(counter())
    return counts


def test_a_conversation_writes_the_store_exactly_when_it_did_with_snapshots(tmp_path):
    skill = make_skill(tmp_path / "unused.db")
    counted = CountingSQLite(tmp_path / "counted.db")
    snapshots = SnapshotOnly(SQLiteAdapter(tmp_path / "snapshots.db"))
    assert writes_per_turn(skill, counted, lambda: len(counted.writes)) == \
        writes_per_turn(skill, snapshots, lambda: snapshots.writes)
    assert 0 < len(counted.writes) < 7


# -- plans from built-in plugins -------------------------------------------------------------------
def test_every_routine_plan_is_a_valid_plan(host, plans):
    validator = host.content.validator("plan")
    for plan in plans:
        assert not list(validator.iter_errors({**plan, "owner": "stretch_timer"})), plan["id"]


def test_plans_the_built_ins_play_are_valid(tmp_path, monkeypatch):
    """Built-in plans skip validation at run time (Exchange._checked_plan); check them here."""
    seen: list[tuple[str, dict]] = []
    checked = Exchange._checked_plan

    def spy(self, plan, plugin):
        result = checked(self, plan, plugin)
        seen.append((plugin, result))
        return result

    monkeypatch.setattr(Exchange, "_checked_plan", spy)
    skill = make_skill(tmp_path / "store.db")
    for utterances in (["start my stretches", "next"], ["strength session", "legs"], ["check my back"]):
        alexa = AlexaSimulator(skill, user_id=f"amzn1.ask.account.PLANS-{len(seen)}")
        alexa.launch()
        for utterance in utterances:
            alexa.say(utterance)
    assert {plugin for plugin, _ in seen} >= {"stretch_timer", "strength_coach"}
    validator = skill.host.content.validator("plan")
    for plugin, plan in seen:
        assert skill.host.records[plugin].builtin
        assert not list(validator.iter_errors(plan)), (plugin, plan["id"])


# -- SSML ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "plain", "a & b", "<break/>", "x > y < z", "&amp;", "'quotes\"", "Grüße 🏃"])
def test_escape_equals_saxutils(text):
    assert ssml.escape(text) == sax_escape(text)


# -- the validation cache --------------------------------------------------------------------------

THING_SCHEMA = {"type": "object", "required": ["id", "size"],
                "properties": {"id": {"type": "string"}, "size": {"type": "integer"}}}


def summary(host: PluginHost) -> dict:
    """Everything a load produced, to compare a load that used the cache with one that did not."""
    return {"records": {n: r.as_dict() for n, r in host.records.items()},
            "documents": {k: {i: (d.data, d.file, d.plugin) for i, d in docs.items()}
                          for k, docs in host.content.documents.items()},
            "intents": {n: (s.plugin, s.definition) for n, s in host.intents.items()},
            "slot_types": host.slot_types, "schemas": host.content.schemas}


@pytest.fixture
def cache_file(tmp_path, monkeypatch):
    path = tmp_path / ".validated.json"
    monkeypatch.setattr(app_module, "VALIDATION_CACHE", path)
    app_module.write_validation_cache(load_from_env(strict=True), path)
    return path


def test_a_load_with_the_cache_validates_nothing_and_gives_the_same(cache_file, monkeypatch):
    full = load_from_env(strict=True)
    assert len(full.content.validated) > 50
    monkeypatch.setattr(ContentLibrary, "_schema_errors", lambda *a: pytest.fail("validated a cached document"))
    monkeypatch.setattr(plugins_module._DefinitionSchema, "problems", lambda *a: pytest.fail("validated a definition"))
    cached = load_from_env(strict=True, use_validation_cache=True)
    assert cached.content.known_valid and not cached.content.validated
    assert summary(cached) == summary(full)


def test_only_the_skill_itself_trusts_the_cache(cache_file):
    from skill.pipeline.app import get_app, reset_app

    assert not load_from_env().content.known_valid  # validate, models, package, plugins: full validation
    reset_app()
    assert get_app().host.content.known_valid == read_validation_cache(cache_file)


def test_what_the_cache_does_not_list_is_validated(tmp_path):
    document = tmp_path / "thing.json"
    document.write_text('{"id": "a", "size": 3}')
    full = ContentLibrary()
    assert not full.add_schema("thing", THING_SCHEMA, "third_party") and not full.load("thing", document, "third_party")
    known = frozenset(full.validated)
    document.write_text('{"id": "a", "size": "big"}')  # changed since the cache was written
    cached = ContentLibrary(known)
    assert not cached.add_schema("thing", THING_SCHEMA, "third_party")
    assert [e.pointer for e in cached.load("thing", document, "third_party")] == ["/size"]
    other_schema = ContentLibrary(known)  # the same document under another schema is validated again
    assert not other_schema.add_schema("thing", {**THING_SCHEMA, "required": ["id", "colour"]}, "third_party")
    document.write_text('{"id": "a", "size": 3}')
    assert other_schema.load("thing", document, "third_party")


@pytest.mark.parametrize("text", ["", "{", "[]", '{"format": 1}', '{"format": 99, "jsonschema": null, "valid": []}',
                                  '{"format": 1, "jsonschema": "0.0.1", "valid": ["x"]}',
                                  '{"format": 1, "jsonschema": "%s", "valid": "abc"}', b"\xff\xfe"])
def test_a_corrupt_or_foreign_cache_means_full_validation(tmp_path, monkeypatch, text):
    path = tmp_path / ".validated.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text.replace("%s", content_module.jsonschema_version() or ""))
    assert read_validation_cache(path) == frozenset()
    monkeypatch.setattr(app_module, "VALIDATION_CACHE", path)
    host = load_from_env(strict=True, use_validation_cache=True)
    assert not host.content.known_valid and len(host.content.validated) > 50


def test_a_missing_cache_means_full_validation(tmp_path):
    assert read_validation_cache(tmp_path / "nothing.json") == frozenset()


def test_a_host_that_trusted_the_cache_cannot_write_one(cache_file):
    with pytest.raises(ValueError):
        app_module.write_validation_cache(load_from_env(use_validation_cache=True), cache_file)


def test_the_cache_round_trips(tmp_path):
    write_validation_cache(tmp_path / "c.json", {"b", "a"})
    assert read_validation_cache(tmp_path / "c.json") == frozenset({"a", "b"})


# -- the quick walk over a request's shape ---------------------------------------------------------
TEXT = st.text(alphabet=st.sampled_from(["a", "é", "\x00", "\ud800", "\udfff", "🏃", " "]), max_size=6)
LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT)
JSONISH = st.recursive(LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(TEXT, st.integers()), inner, max_size=4)), max_leaves=30)


def refused(event) -> str | None:
    try:
        envelope_module._explain_shape(event)
    except BadRequest as error:
        return str(error)
    return None


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(TEXT, JSONISH, max_size=4))
def test_the_quick_walk_accepts_only_what_the_full_walk_accepts(event):
    if envelope_module._plainly_fine(event):
        assert refused(event) is None
    try:
        envelope_module.check_shape(event)
        assert refused(event) is None
    except BadRequest as error:
        assert str(error) == refused(event)


@pytest.mark.parametrize("change", [
    lambda e: e.update(deep=_nested(envelope_module.MAX_DEPTH + 1)),
    lambda e: e.update(wide=list(range(envelope_module.MAX_VALUES))),
    lambda e: e.update(long="x" * (envelope_module.MAX_STRING + 1)),
    lambda e: e.update({"k\x00": 1}),
    lambda e: e.update(n=float("nan")),
])
def test_the_quick_walk_hands_every_bound_to_the_full_walk(change):
    event = {"version": "1.0", "request": {"type": "LaunchRequest"}}
    assert envelope_module._plainly_fine(event)
    change(event)
    assert not envelope_module._plainly_fine(event)
    assert refused(event)


def _nested(depth: int) -> dict:
    value: dict = {}
    for _ in range(depth):
        value = {"a": value}
    return value


# -- remembered by a plan's bytes ------------------------------------------------------------------
def test_remembered_minutes_equal_measured_minutes_and_follow_a_changed_plan(plans):
    for plan in plans:
        for scale, rate in itertools.product(SCALES, RATES):
            assert player_module.plan_minutes(plan, scale, rate) == player_module._measure_minutes(plan, scale, rate)
            assert player_module.plan_minutes(plan, scale, rate) == player_module._measure_minutes(plan, scale, rate)
    longer = {**plans[0], "blocks": plans[0]["blocks"] * 2}
    assert player_module.plan_minutes(longer) == player_module._measure_minutes(longer, 1.0, 100)
    assert player_module.plan_minutes(longer) > player_module.plan_minutes(plans[0])


def test_a_remembered_valid_plan_does_not_vouch_for_a_changed_one(tmp_path):
    skill = make_skill(tmp_path / "store.db")
    alexa = AlexaSimulator(skill, user_id="amzn1.ask.account.REMEMBERED")
    alexa.launch()
    alexa.say("start my stretches")
    exchange = Exchange.__new__(Exchange)
    exchange.host = skill.host
    plan = {**plan_from_routine(skill.host.content, sorted(skill.host.content.documents["routine"])[0]),
            "owner": "stretch_timer"}
    assert exchange.plan_is_valid(plan) and exchange.plan_is_valid(plan)
    broken = copy.deepcopy(plan)
    broken["blocks"][0]["work"]["reps"] = 10**6
    assert not exchange.plan_is_valid(broken)
    assert exchange.plan_is_valid(plan)


# -- session attributes sent back as this process sent them ----------------------------------------
def _paused_mid_stretch(skill, user_id: str) -> AlexaSimulator:
    alexa = AlexaSimulator(skill, user_id=user_id)
    alexa.launch()
    alexa.say("start my stretches")
    alexa.say("pause", after=20)
    return alexa


def test_attributes_sent_back_unchanged_are_trusted_and_any_change_is_checked(tmp_path, monkeypatch):
    skill = make_skill(tmp_path / "store.db")
    alexa = _paused_mid_stretch(skill, "amzn1.ask.account.SENT-BACK")
    checked: list[bool] = []
    original = state_guard.clean_state
    monkeypatch.setattr(state_guard, "clean_state", lambda *a: checked.append(True) or original(*a))
    assert skill.sent_sessions.sent_back(alexa.device.intent("AMAZON.ResumeIntent"))
    resumed = alexa.say("resume")
    assert "<break" in resumed.ssml and not checked  # as sent: not checked again, and it plays on
    alexa.say("pause", after=10)
    alexa.device.attributes["core"]["player"]["rate"] = 5000  # the device changed what it was sent
    assert not skill.sent_sessions.sent_back(alexa.device.intent("AMAZON.ResumeIntent"))
    answer = alexa.say("resume")
    assert checked and "lost track" in answer.speech
    assert 'rate="5000%"' not in answer.ssml


def test_attributes_are_trusted_only_for_the_session_and_user_they_were_sent_to(tmp_path):
    skill = make_skill(tmp_path / "store.db")
    alexa = _paused_mid_stretch(skill, "amzn1.ask.account.SENT-TO")
    envelope = alexa.device.intent("AMAZON.ResumeIntent")
    assert skill.sent_sessions.sent_back(envelope)
    other_user = copy.deepcopy(envelope)
    other_user["session"]["user"]["userId"] = "amzn1.ask.account.SOMEONE-ELSE"
    other_session = copy.deepcopy(envelope)
    other_session["session"]["sessionId"] += "-2"
    for forged in (other_user, other_session):
        assert not skill.sent_sessions.sent_back(forged)
    ended = alexa.say("stop")
    assert ended.ended and not skill.sent_sessions.sent_back(envelope)  # a session that ended is forgotten


@pytest.mark.parametrize("event", [None, [], "x", {"session": []}, {"session": {"sessionId": 1}},
                                   {"session": {"sessionId": "s", "user": {"userId": "u"}, "attributes": []}}])
def test_the_sent_sessions_memo_takes_any_input(tmp_path, event):
    skill = make_skill(tmp_path / "store.db")
    skill.sent_sessions.remember(event, exact_bytes({"core": {}}))
    assert not skill.sent_sessions.sent_back(event)


def test_exact_bytes_are_equal_for_equal_data_however_it_is_shared():
    shared = {"block": 1, "phase": "work"}
    once = {"start": shared, "paused": shared, "names": ["a", "a"]}
    twice = {"start": {"block": 1, "phase": "work"}, "paused": {"block": 1, "phase": "work"}, "names": ["a", "a"]}
    assert exact_bytes(once) == exact_bytes(twice)
    assert exact_bytes({**twice, "names": ["a", "b"]}) != exact_bytes(twice)
    assert exact_bytes({"a": 1, "b": 2}) != exact_bytes({"b": 2, "a": 1})  # key order counts: a miss, never a wrong hit
    assert exact_bytes({"x": object()}) is None
