"""SSML is built in one place: escaping, chained breaks, Alexa's limits, and reading it back."""

import pytest

from skill.speech import ssml
from skill.speech.builder import Speech


def test_text_is_escaped():
    rendered = Speech("Tom & Jerry <3").ssml()
    assert rendered == "<speak>Tom &amp; Jerry &lt;3</speak>"
    assert ssml.check(rendered) == []


@pytest.mark.parametrize("seconds, breaks", [
    (5, ['5s']), (10, ['10s']), (25, ['10s', '10s', '5s']), (30, ['10s', '10s', '10s']), (2.5, ['2500ms']),
    (61, ['10s'] * 6 + ['1s']),
])
def test_long_silences_are_chains_of_breaks_of_at_most_ten_seconds(seconds, breaks):
    rendered = Speech("Hold.").pause(seconds).say("Release.").ssml()
    assert rendered.count("<break") == len(breaks)
    for value in breaks:
        assert f'<break time="{value}"/>' in rendered
    assert ssml.silence_seconds(rendered) == pytest.approx(seconds)
    assert ssml.check(rendered) == []


def test_check_catches_every_broken_rule():
    assert any("longer than 10 s" in p for p in ssml.check('<speak><break time="11s"/></speak>'))
    assert any("fewer than 8000" in p for p in ssml.check("<speak>" + "a" * 8000 + "</speak>"))
    assert any("not well-formed" in p for p in ssml.check("<speak>oops"))
    assert any("<blink>" in p for p in ssml.check("<speak><blink>x</blink></speak>"))
    # What every response goes through before it is sent: rendering keeps the markup and the
    # breaks legal, and the length is refused there.
    with pytest.raises(ssml.SpeechLimitError, match="fewer than 8000"):
        ssml.ensure_valid(Speech("word " * 1600).ssml())
    assert ssml.ensure_valid(Speech("word " * 1500).ssml())


def test_prosody_rate_wraps_the_speech():
    rendered = Speech("Slowly now.").ssml(rate_percent=90)
    assert rendered == '<speak><prosody rate="90%">Slowly now.</prosody></speak>'
    assert ssml.check(rendered) == []


def test_to_text_shows_silences_readably():
    rendered = Speech("Hold.").pause(30).say("Ten seconds left.").pause(10).say("And release.").ssml()
    assert ssml.to_text(rendered) == "Hold. [silence 30 s] Ten seconds left. [silence 10 s] And release."
