"""Echo Show screens as a device receives them: which requests get a document, what it shows, and
that its countdown follows the holds and rests the speech actually plays."""

from __future__ import annotations

import itertools
import json
import math
import re
from datetime import timedelta

import pytest
from screen_device import EchoShow, payload_of, render_directive, with_screen

from skill.engine.player import START_LATENCY_S
from skill.kit.listening import heard
from skill.kit.simulator import make_skill
from skill.pipeline.app import BadRequest
from skill.screen.documents import APL_VERSION, bindings
from skill.screen.timeline import countdown_at, frame_at

_users = itertools.count(1)
MAX_RESPONSE_BYTES = 120 * 1024


@pytest.fixture
def show(shared_skill):
    return EchoShow(shared_skill, user_id=f"amzn1.ask.account.SHOW-{next(_users)}")


@pytest.fixture
def speaker(new_user):
    return new_user()


def test_a_device_without_a_screen_gets_no_apl(speaker):
    for answer in (speaker.launch(), speaker.say("after run stretches"), speaker.intent("AMAZON.PauseIntent", after=70),
                   speaker.intent("AMAZON.ResumeIntent")):
        assert not [d for d in answer.body.get("directives") or [] if d["type"].startswith("Alexa.Presentation")]


def test_a_device_on_an_older_apl_than_the_documents_gets_none(shared_skill):
    old = EchoShow(shared_skill, user_id="amzn1.ask.account.OLD-SHOW", max_version="1.4")
    assert render_directive(old.launch()) is None


def test_the_menu_shows_the_three_things_with_an_example_each(show):
    answer = show.launch()
    directive = render_directive(answer)
    assert directive["document"]["version"] == APL_VERSION
    payload = directive["datasources"]["payload"]
    assert payload["kind"] == "menu"
    assert payload["headline"].endswith("What would you like to do?")
    titles = [item["title"] for item in payload["items"]]
    assert titles == ["A back check", "Guided stretches", "A strength session"]
    assert all(item["example"].startswith("Say “") for item in payload["items"])
    assert {b["action"] for b in payload["buttons"]} == {"help", "stop"}


def timed_silences_ms(speech_ssml: str) -> list[int]:
    """The speech's silences that belong to a hold or rest: not the windows to get into position."""
    items = heard(speech_ssml)
    return [round(item.silence * 1000) for i, item in enumerate(items) if item.silence
            and not (i and (items[i - 1].kind == "get_ready" or items[i - 1].text == "Get back into position."))]


def _hold_frames(payload: dict) -> list[dict]:
    return [f for f in payload["frames"] if f["timed"] and f["progress"].startswith("Hold")]


def _holds(payload: dict) -> list[list[dict]]:
    """The frames of each hold, in order (a cue spoken mid-hold starts a frame of its own)."""
    holds: list[list[dict]] = []
    for frame in _hold_frames(payload):
        if holds and (holds[-1][-1]["progress"], holds[-1][-1]["side"]) == (frame["progress"], frame["side"]):
            holds[-1].append(frame)
        else:
            holds.append([frame])
    return holds


def test_the_coach_screen_counts_each_hold_with_the_silences_of_the_speech(show):
    show.launch()
    answer = show.say("after run stretches")
    payload = payload_of(answer)
    assert payload["kind"] == "coach"
    holds = _holds(payload)
    assert [(h[0]["name"], h[0]["side"], h[0]["progress"]) for h in holds] == [
        ("Half-kneeling hip flexor stretch", "Right side", "Hold 1 of 2 · side 1 of 2"),
        ("Half-kneeling hip flexor stretch", "Right side", "Hold 2 of 2 · side 1 of 2"),
        ("Half-kneeling hip flexor stretch", "Left side", "Hold 1 of 2 · side 2 of 2"),
        ("Half-kneeling hip flexor stretch", "Left side", "Hold 2 of 2 · side 2 of 2")]
    block = answer.session["core"]["player"]["plan"]["blocks"][0]
    plan_hold = block["work"]["seconds"]
    # The silences the speech plays, in order, are exactly the spans the countdown runs in.
    spans = [round(f[f"l{i}"] * 1000) for f in payload["frames"] for i in range(3) if f[f"l{i}"]]
    assert spans == timed_silences_ms(answer.ssml)
    for number, hold in enumerate(holds):
        first, last = hold[0], hold[-1]
        assert sum(f[f"l{i}"] for f in hold for i in range(3)) == plan_hold
        assert countdown_at(first, first["t0"]) == plan_hold
        assert countdown_at(first, first["s0"] + 1.5) == plan_hold - 1
        assert countdown_at(last, last["t1"]) == 0
        for before, after in itertools.pairwise(hold):  # one countdown across the frames of a hold
            assert before["t1"] == after["t0"]
            assert countdown_at(before, before["t1"]) == countdown_at(after, after["t0"])
        # The cue on screen is the one being said: the set's, then the one spoken mid-hold.
        cues = block["cues"]
        assert [f["cue"] for f in hold] == [cues[number % 2 % len(cues)], cues[(number % 2 + 1) % len(cues)]]
    assert payload["frames"][-1]["cue"] == answer.reprompt
    assert {b["action"] for b in payload["buttons"]} == {"pause", "next", "repeat", "stop"}


def test_the_countdown_agrees_with_where_a_pause_lands(show):
    show.launch()
    answer = show.say("after run stretches")
    payload = payload_of(answer)
    after_cue = _holds(payload)[0][1]
    # Two seconds into the hold's second silence (after ten held and a spoken cue) the screen shows
    # 18; pausing then leaves 18, and resuming holds for 18.
    at = after_cue["s0"] + 2.0
    # Request timestamps have whole seconds: pause at a moment the skill sees exactly.
    at -= (answer.sent_at + timedelta(seconds=START_LATENCY_S + at)).microsecond / 1e6
    left = countdown_at(frame_at(payload["frames"], at), at)
    assert left in (18, 19)
    paused = show.intent("AMAZON.PauseIntent", after=START_LATENCY_S + at)
    screen = payload_of(paused)
    assert screen["kind"] == "paused"
    assert (screen["name"], screen["side"], screen["big"]) == ("Half-kneeling hip flexor stretch", "Right side",
                                                               f"{left} s left")
    resumed = payload_of(show.intent("AMAZON.ResumeIntent", after=30))
    hold = _hold_frames(resumed)[0]
    held = sum(hold[f"l{i}"] for i in range(3))
    assert countdown_at(hold, hold["t0"]) == held == left


def test_a_tap_does_what_the_spoken_intent_does(shared_skill, tmp_path):
    # The same user on two skills with stores of their own: the user picks the phrasings.
    spoken = EchoShow(shared_skill, user_id="amzn1.ask.account.TAP-OR-SAY")
    tapped = EchoShow(make_skill(tmp_path / "tapped.db"), user_id="amzn1.ask.account.TAP-OR-SAY")
    for show in (spoken, tapped):
        show.launch()
        show.say("after run stretches")
    by_voice = spoken.intent("AMAZON.PauseIntent", after=70)
    by_touch = tapped.tap("pause", after=70)
    assert by_touch.speech == by_voice.speech
    assert by_touch.session["core"]["player"]["paused"] == by_voice.session["core"]["player"]["paused"]
    assert payload_of(by_touch) == payload_of(by_voice)
    by_voice, by_touch = spoken.intent("AMAZON.NextIntent"), tapped.tap("next")
    assert by_touch.speech == by_voice.speech
    stopped = tapped.tap("stop")
    assert stopped.ended and stopped.speech == spoken.intent("AMAZON.StopIntent").speech
    assert render_directive(stopped) is None


@pytest.mark.parametrize("arguments", [["control", "explode"], ["control", 7], ["control"], [], None,
                                       ["control", "pause", "extra"], [{"control": "pause"}]])
def test_an_unknown_event_is_answered_as_words_not_caught(show, arguments):
    show.launch()
    envelope = show.device.request({"type": "Alexa.Presentation.APL.UserEvent", "token": "x", "arguments": arguments})
    answer = show.send(envelope)
    assert "didn't catch that" in answer.speech and not answer.ended


def test_event_arguments_that_are_not_a_list_are_refused_before_the_skill(show):
    show.launch()
    envelope = show.device.request({"type": "Alexa.Presentation.APL.UserEvent", "token": "x", "arguments": "pause"})
    with pytest.raises(BadRequest, match="arguments"):
        show.app.handle(with_screen(envelope))


def test_the_last_exercise_ends_its_timeline_on_the_routine_done(show):
    show.launch()
    show.say("after run stretches")
    for _ in range(2):
        show.intent("AMAZON.NextIntent")
    last = payload_of(show.intent("AMAZON.NextIntent"))
    assert last["kind"] == "coach"
    assert last["frames"][0]["name"] == "Lying strap hamstring stretch" and last["frames"][0]["next"] == "Last exercise"
    assert last["frames"][-1]["cue"] == "That's your after-run stretches done."


def test_skipping_past_the_end_shows_the_summary_with_the_skips(show):
    show.launch()
    show.say("after run stretches")
    answers = [show.intent("AMAZON.NextIntent", after=3) for _ in range(4)]
    summary = payload_of(answers[-1])
    assert summary["kind"] == "summary"
    assert summary["headline"] == "Your after-run stretches: done"
    assert summary["lines"][1:] == ["Half-kneeling hip flexor stretch (skipped)", "Side-lying quad stretch (skipped)",
                                    "Figure-four glute stretch (skipped)", "Lying strap hamstring stretch (skipped)"]


def test_documents_bind_only_what_their_data_holds_in_every_screen(show):
    answers = [show.launch(), show.say("after run stretches"), show.intent("AMAZON.PauseIntent", after=70),
               show.intent("AMAZON.ResumeIntent")]
    answers += [show.intent("AMAZON.NextIntent", after=3) for _ in range(4)]
    seen = set()
    for answer in answers:
        directive = render_directive(answer)
        payload = directive["datasources"]["payload"]
        seen.add(payload["kind"])
        _check_bindings(directive["document"], payload)
        size = len(json.dumps(answer.envelope).encode())
        assert size < MAX_RESPONSE_BYTES
    assert seen == {"menu", "coach", "paused", "summary"}


def _check_bindings(document: dict, payload: dict) -> None:
    for root, name in bindings(document):
        if root == "payload":
            assert name in payload, f"{payload['kind']} binds payload.{name}"
            continue
        arrays = [v for v in payload.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        assert any(name in item for array in arrays for item in array), f"{payload['kind']} binds {root}.{name}"
    text = json.dumps(document)
    for array in re.findall(r'"data": "\$\{payload\.(\w+)\}"', text):
        assert isinstance(payload[array], list)


def test_the_screen_stays_lit_for_the_whole_timeline(show):
    show.launch()
    answer = show.say("after run stretches")
    execute = [d for d in answer.body["directives"] if d["type"] == "Alexa.Presentation.APL.ExecuteCommands"]
    assert len(execute) == 1
    assert execute[0]["token"] == render_directive(answer)["token"]
    idle = execute[0]["commands"][0]
    assert idle["type"] == "Idle" and idle["screenLock"] is True
    assert idle["delay"] == round(payload_of(answer)["seconds"] * 1000)


def test_a_long_strength_run_keeps_the_response_under_alexas_size_limit(show):
    show.launch()
    show.say("full body session")
    answer = show.say("keep going")
    payload = payload_of(answer)
    reps = [f["big"] for f in payload["frames"] if f["big"]]
    assert reps[:10] == ["1 / 8", "2 / 8", "3 / 8", "4 / 8", "5 / 8", "6 / 8", "7 / 8", "8 / 8", "1 / 8", "2 / 8"]
    assert len(json.dumps(answer.envelope).encode()) < MAX_RESPONSE_BYTES


def test_frames_of_a_set_merge_when_there_are_too_many_reps(show):
    from skill.engine.player import playing_segment
    from skill.screen.timeline import coach_frames, frames_of_units

    show.launch()
    answer = show.say("full body session")
    player = answer.session["core"]["player"]
    units = playing_segment(player["plan"], player).units
    per_rep = frames_of_units(player["plan"], units, 100, 1.0, player["lead"])
    per_set = frames_of_units(player["plan"], units, 100, 1.0, player["lead"], per_rep=False)
    assert len(per_set) < len(per_rep)
    assert per_set[-1]["t1"] == per_rep[-1]["t1"], "the same timeline, in fewer frames"
    assert coach_frames(player["plan"], player) == per_rep


def test_a_fault_in_the_screen_costs_the_user_only_the_screen(show, monkeypatch, caplog):
    from skill.screen import directives

    show.launch()

    def broken(*args, **kwargs):
        raise KeyError("frames")

    monkeypatch.setattr(directives, "screen_payload", broken)
    answer = show.say("after run stretches")
    assert "hip flexor stretch" in answer.speech and not answer.ended
    assert render_directive(answer) is None
    assert answer.session["core"]["player"]["plan"]["id"] == "stretch:after_run"
    assert "no screen for this response" in caplog.text


def test_a_tap_as_an_echo_show_really_sends_it(show):
    """With the visual context, the viewport's full description and the event's source and components."""
    show.launch()
    show.say("after run stretches")
    show._advance(70)  # seventy seconds into the response
    envelope = with_screen(show.device.request({
        "type": "Alexa.Presentation.APL.UserEvent", "token": "stride-coach-coach",
        "arguments": ["control", "pause"],
        "source": {"type": "TouchWrapper", "handler": "Press", "id": "button-pause", "value": False},
        "components": {}}))
    envelope["context"]["Viewport"].update({
        "experiences": [{"arcMinuteWidth": 246, "arcMinuteHeight": 144, "canRotate": False, "canResize": False}],
        "video": {"codecs": ["H_264_42", "H_264_41"]}})
    envelope["context"]["Viewports"] = [{"type": "APL", "id": "main", "shape": "RECTANGLE", "dpi": 160,
                                         "presentationType": "STANDARD", "canRotate": False,
                                         "configuration": {"current": {"mode": "HUB", "video": {"codecs": []},
                                                                       "size": {"type": "DISCRETE", "pixelWidth": 1280,
                                                                                "pixelHeight": 800}}}}]
    envelope["context"]["Alexa.Presentation.APL"] = {
        "token": "stride-coach-coach", "version": "AplRenderer-2024.3",
        "componentsVisibleOnScreen": [{"uid": ":1000", "position": "1280x800+0+0:0", "type": "mixed",
                                       "tags": {"viewport": {}}, "children": []}]}
    answer = show.send(envelope)
    assert "Paused during the hip flexor stretch" in answer.speech
    assert payload_of(answer)["kind"] == "paused"


def _apl_eval(expression: str, **names: object) -> object:
    """Evaluate one APL data-binding expression of the coach document (the subset it uses)."""
    body = expression.strip()
    assert body.startswith("${") and body.endswith("}"), body
    body = body[2:-1]
    body = re.sub(r"\b(frame|data|payload)\.(\w+)", r'\1["\2"]', body)
    body = body.replace("Math.max", "max").replace("Math.min", "min").replace("Math.ceil", "_ceil")
    body = body.replace("&&", " and ").replace("||", " or ")
    depth, question, colon = 0, None, None
    for index, char in enumerate(body):  # one top-level "a ? b : c"
        depth += 1 if char in "([" else -1 if char in ")]" else 0
        if depth == 0 and char == "?" and question is None:
            question = index
        elif depth == 0 and char == ":" and question is not None:
            colon = index
            break
    if question is not None:
        body = f"(({body[question + 1:colon]}) if ({body[:question]}) else ({body[colon + 1:]}))"
    return eval(body, {"__builtins__": {}, "max": max, "min": min, "_ceil": math.ceil}, dict(names))


def test_the_coach_document_shows_what_the_timeline_says_at_every_moment(show):
    show.launch()
    payload = payload_of(show.say("after run stretches"))
    document = render_directive(show.answers[-1])["document"]
    frame_layout = document["layouts"]["CoachFrame"]["items"][0]
    display = frame_layout["display"]
    big = next(item["text"] for item in frame_layout["items"] if item.get("fontSize") == "@bigSize")
    for second in range(0, int(payload["seconds"]) + 5):
        for offset in (0.0, 0.4, 0.9):
            moment = second + offset
            shown = [f for f in payload["frames"]
                     if _apl_eval(display, frame=f, elapsedTime=moment * 1000) == "normal"]
            assert shown == [frame_at(payload["frames"], moment)], f"one frame at {moment} s"
            text = _apl_eval(big, frame=shown[0], elapsedTime=moment * 1000)
            expected = countdown_at(shown[0], moment) if shown[0]["timed"] else shown[0]["big"]
            assert str(text) == str(expected), f"at {moment} s"


@pytest.mark.parametrize(("apl", "shown"), [
    ({"runtime": {"maxVersion": "1.8"}}, True), ({"runtime": {"maxVersion": "2024.3"}}, True),
    ({"runtime": {"maxVersion": "1.7"}}, False), ({"runtime": {"maxVersion": "banana"}}, False),
    ({"runtime": {}}, False), ({}, False), ("yes", False), (None, False)])
def test_only_devices_that_say_they_run_the_pinned_apl_get_a_screen(apl, shown):
    from skill.screen.directives import supports_screen

    interfaces = {} if apl is None else {"Alexa.Presentation.APL": apl}
    event = {"context": {"System": {"device": {"supportedInterfaces": interfaces}}}}
    assert supports_screen(event) is shown
