"""The browser coach in a real Chromium (Debian's, driven by Playwright): a whole stretch session
from the page, with the countdown checked to the second across a pause.

Speech is made deterministic with ``?voice=estimate``: the page times each sentence by the
skill's own speech estimate instead of a voice (headless Chromium may have none), and the test
drives the page's clock with Playwright's clock control, so every second is exact. One check
lets the clock run in real time to see the countdown move by itself.

Screenshots of the page and of each screen's data drawn at three Echo Show viewports are taken
into a temporary folder, or into ``$STRIDE_COACH_SCREENSHOTS`` (``docs/screens`` refreshes the docs).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from skill.screen.timeline import countdown_at, frame_at
from skill.speech.builder import spoken_seconds

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"round": (480, 480), "small-hub": (960, 480), "large-hub": (1280, 800)}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def web_url(tmp_path_factory):
    """``stride-coach web`` itself, on a free loopback port, with its own SQLite store."""
    folder = tmp_path_factory.mktemp("web-page")
    env = {**os.environ, "STRIDE_COACH_DB": str(folder / "coach.db"), "XDG_DATA_HOME": str(folder)}
    process = subprocess.Popen([sys.executable, "-m", "skill.cli.main", "web", "--port", "0"],
                               stderr=subprocess.PIPE, text=True, env=env)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    try:
        first = process.stderr.readline()
        reader.start()
        match = re.search(r"(http://127\.0\.0\.1:\d+/)", first)
        assert match, f"stride-coach web did not say where it listens: {first!r}"
        yield match.group(1)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        reader.join(timeout=5)
        assert any("stopped" in line for line in lines)


@pytest.fixture(scope="module")
def chromium():
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("STRIDE_COACH_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Coach:
    """The page, with its clock under the test's control."""

    def __init__(self, page) -> None:
        self.page = page
        self.sent = 0  # what the test has sent: a wait is for the answer to the last of them

    def _sending(self) -> None:
        self.sent = self.page.evaluate("strideCoach.turns()") + 1

    def kind(self) -> str:
        return self.page.locator("#screen").get_attribute("data-kind")

    def wait_for(self, kind: str) -> dict:
        self.page.wait_for_function(f"strideCoach.turns() >= {self.sent} && "
                                    f"document.getElementById('screen').dataset.kind === '{kind}'", timeout=10_000)
        return self.page.evaluate("strideCoach.payload()")

    def clock(self) -> float:
        return self.page.evaluate("strideCoach.clock()")

    def run_until(self, seconds: float) -> None:
        """Let the page's clock run to ``seconds`` into the response that is playing."""
        ahead = seconds - self.clock()
        assert ahead >= 0
        self.page.clock.run_for(round(ahead * 1000))

    def field(self, name: str) -> str:
        return self.page.locator(f"#screen [data-field='{name}']").inner_text()

    def tap(self, action: str) -> None:
        self._sending()
        self.page.locator(f"#screen button[data-action='{action}']").click()

    def open(self) -> None:
        self._sending()
        self.page.locator("#screen button[data-open]").click()

    def say(self, words: str) -> None:
        self._sending()
        self.page.locator("#utterance").fill(words)
        self.page.locator("#utterance").press("Enter")

    def start_session(self, request: str) -> dict:
        """Ask for a session; a user not yet screened (docs/safety.md) answers no to each safety
        question and five to each weekly rating first. The coach screen's payload."""
        self.say(request)
        for _ in range(12):
            self.page.wait_for_function(f"strideCoach.turns() >= {self.sent}", timeout=10_000)
            data = self.page.evaluate("strideCoach.payload()")
            if data["kind"] == "coach":
                return data
            self.say("five" if "zero to ten" in (data.get("headline") or "") else "no")
        raise AssertionError("the session never started")


def test_a_whole_stretch_session_from_the_page(chromium, web_url, shots):
    # The page forbids eval (its CSP); Playwright needs it to wait on page state.
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.clock.install(time=datetime(2026, 3, 2, 7, 30, tzinfo=UTC))
    page.goto(web_url + "?voice=estimate")
    page.clock.pause_at(datetime(2026, 3, 2, 7, 31, tzinfo=UTC))
    coach = Coach(page)
    assert page.evaluate("strideCoach.voiceMode") == "estimate"
    # SSML breaks become real silences, chained breaks one silence; sentences are timed as the engine times them.
    ssml = ('<speak><prosody rate="80%">Hold for ten seconds. Breathe, slowly.<break time="10s"/>'
            '<break time="500ms"/>And release &amp; rest.</prosody></speak>')
    parts = page.evaluate("(ssml) => strideCoach.parseSsml(ssml)", ssml)
    assert [(p.get("text"), p.get("silence", False)) for p in parts] == [
        ("Hold for ten seconds. Breathe, slowly.", False), (None, True), ("And release & rest.", False)]
    assert parts[1]["seconds"] == 10.5
    assert parts[0]["seconds"] == pytest.approx(spoken_seconds("Hold for ten seconds. Breathe, slowly.", 80))
    assert parts[2]["seconds"] == pytest.approx(spoken_seconds("And release & rest.", 80))
    payloads: dict[str, dict] = {}

    coach.open()
    payloads["menu"] = coach.wait_for("menu")
    assert "Guided stretches" in page.locator("#screen").inner_text()

    payloads["coach"] = coach_screen = coach.start_session("after run stretches")
    frames = coach_screen["frames"]
    hold = next(f for f in frames if f["timed"] and f["progress"].startswith("Hold"))
    # The hold's second part, after the cue spoken ten seconds in.
    middle = [f for f in frames if (f["progress"], f["side"]) == (hold["progress"], hold["side"])][1]

    # Into the hold: the exercise, the side and the countdown show, and the countdown goes down.
    coach.run_until(middle["s0"] + 1.5)
    assert coach.field("name") == "Half-kneeling hip flexor stretch"
    assert coach.field("side") == "Right side"
    assert coach.field("progress") == "Hold 1 of 2 · side 1 of 2"
    assert coach.field("cue") == middle["cue"] == "Hold the tuck, because the tuck gives the stretch, not the lean."
    first = int(coach.field("big"))
    assert first == countdown_at(middle, coach.clock()) == 19
    page.screenshot(path=str(shots / "browser-coach.png"))
    page.clock.run_for(3000)
    assert int(coach.field("big")) == first - 3

    # Pause: the screen says how much is left, and nothing moves while paused.
    at = coach.clock()
    left = countdown_at(frame_at(frames, at), at)
    coach.tap("pause")
    payloads["paused"] = paused = coach.wait_for("paused")
    assert paused["big"] == f"{left} s left"
    assert f"{left} s left" in page.locator("#screen").inner_text()
    page.clock.run_for(20_000)
    assert f"{left} s left" in page.locator("#screen").inner_text()

    # Resume: the hold continues from that second.
    coach.tap("resume")
    resumed = coach.wait_for("coach")
    again = next(f for f in resumed["frames"] if f["timed"])
    coach.run_until(again["t0"] + 0.01)
    assert int(coach.field("big")) == left
    coach.run_until(again["s0"] + 0.5)
    assert int(coach.field("big")) == left
    coach.run_until(again["s0"] + 2.5)
    assert int(coach.field("big")) == left - 2

    # In real time the countdown moves by itself.
    page.clock.resume()
    before = int(coach.field("big"))
    time.sleep(2.2)
    assert 1 <= before - int(coach.field("big")) <= 3
    page.clock.pause_at(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))

    # Next: the following exercise.
    coach.tap("next")
    following = coach.wait_for("coach")
    assert following["frames"][0]["name"] == "Side-lying quad stretch"
    assert coach.field("name") == "Side-lying quad stretch"

    # Skipping to the end shows the summary, then stop ends the session.
    for expected in ("coach", "coach", "summary"):
        coach.tap("next")
        last = coach.wait_for(expected)
    payloads["summary"] = summary = last
    assert summary["headline"] == "Your after-run stretches: done"
    coach.tap("stop")
    coach.wait_for("ended")
    assert page.locator("#screen button[data-open]").is_visible()
    assert errors == []
    context.close()

    _screenshot_each_screen(chromium, web_url, payloads, middle["s0"] + 2.0, shots)


def _screenshot_each_screen(chromium, web_url: str, payloads: dict, coach_seconds: float, shots: Path) -> None:
    """Each screen's data drawn by the page's renderer at Echo Show viewport sizes."""
    for viewport, (width, height) in VIEWPORTS.items():
        context = chromium.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        page = context.new_page()
        page.goto(web_url + "?voice=estimate&talk=off")
        for kind, payload in payloads.items():
            page.evaluate("([data, seconds, round]) => strideCoach.preview(data, seconds, round)",
                          [payload, coach_seconds if kind == "coach" else 0, viewport == "round"])
            if kind == "coach":
                assert page.locator("#screen [data-field='big']").inner_text() == "18"
            path = shots / f"apl-{kind}-{viewport}.png"
            page.screenshot(path=str(path))
            assert path.stat().st_size > 1000
        context.close()


def test_a_whole_routine_played_to_the_end_from_the_page(chromium, web_url):
    """A person who lets every exercise play out and says "next" when asked, to the routine's end."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.clock.install(time=datetime(2026, 3, 3, 7, 30, tzinfo=UTC))
    page.goto(web_url + "?voice=estimate")
    page.clock.pause_at(datetime(2026, 3, 3, 7, 31, tzinfo=UTC))
    coach = Coach(page)
    coach.open()
    coach.wait_for("menu")
    first = coach.start_session("after run stretches")
    names = []
    for exercise in range(4):
        screen = first if exercise == 0 else coach.wait_for("coach")
        names.append(screen["frames"][0]["name"])
        coach.run_until(screen["seconds"] + 2.0)  # it plays to the end, and the cue is said
        closing = screen["frames"][-1]
        assert coach.field("cue") == closing["cue"]
        if exercise < 3:
            assert closing["cue"].startswith("Say next for")
            coach.say("next")
    assert names == ["Half-kneeling hip flexor stretch", "Side-lying quad stretch", "Figure-four glute stretch",
                     "Lying strap hamstring stretch"]
    assert coach.field("cue") == "That's your after-run stretches done."
    coach.say("stop")
    coach.wait_for("ended")
    context.close()
