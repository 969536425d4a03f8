"""A simulated Echo Show: the kit's simulator with the APL interface and a viewport in every request."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from skill.kit.simulator import AlexaSimulator, Answer
from skill.screen.directives import RENDER

ECHO_SHOW_VIEWPORTS = {
    "small round hub (480x480)": {"shape": "ROUND", "pixelWidth": 480, "pixelHeight": 480, "dpi": 160},
    "small hub (960x480)": {"shape": "RECTANGLE", "pixelWidth": 960, "pixelHeight": 480, "dpi": 160},
    "large hub (1280x800)": {"shape": "RECTANGLE", "pixelWidth": 1280, "pixelHeight": 800, "dpi": 160},
}


def with_screen(envelope: dict, max_version: str = "2024.3", viewport: dict | None = None) -> dict:
    envelope = copy.deepcopy(envelope)
    system = envelope["context"]["System"]
    system["device"]["supportedInterfaces"] = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": max_version}}}
    shape = viewport or ECHO_SHOW_VIEWPORTS["large hub (1280x800)"]
    envelope["context"]["Viewport"] = {"mode": "HUB", "touch": ["SINGLE"], "keyboard": [], **shape,
                                       "currentPixelWidth": shape["pixelWidth"],
                                       "currentPixelHeight": shape["pixelHeight"]}
    return envelope


@dataclass
class EchoShow(AlexaSimulator):
    """Every request says the device shows APL; ``tap`` sends a touch button's UserEvent."""

    max_version: str = "2024.3"

    def send(self, envelope: dict) -> Answer:
        return super().send(with_screen(envelope, self.max_version))

    def tap(self, action: object, after: float | None = None) -> Answer:
        self._advance(after)
        return self.send(self.device.request({
            "type": "Alexa.Presentation.APL.UserEvent", "token": "stride-coach-coach",
            "arguments": ["control", action], "source": {"type": "TouchWrapper", "handler": "Press"}}))


def render_directive(answer: Answer) -> dict | None:
    directives = answer.body.get("directives") or []
    found = [d for d in directives if d.get("type") == RENDER]
    assert len(found) <= 1, "one RenderDocument per response"
    return found[0] if found else None


def payload_of(answer: Answer) -> dict:
    directive = render_directive(answer)
    assert directive is not None, f"no RenderDocument in {answer.body}"
    return directive["datasources"]["payload"]


def silences_ms(ssml: str) -> list[int]:
    """The speech's silences, chained breaks joined, in milliseconds."""
    runs, current, last_end = [], 0, None
    for match in re.finditer(r'<break time="(\d+)(ms|s)"/>', ssml):
        value = int(match.group(1)) * (1 if match.group(2) == "ms" else 1000)
        if last_end is not None and match.start() == last_end:
            current += value
        else:
            if current:
                runs.append(current)
            current = value
        last_end = match.end()
    if current:
        runs.append(current)
    return runs
