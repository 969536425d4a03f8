"""Alexa's name tag: rendered only as Alexa documents it, and checked like every other tag."""

from skill.speech import ssml
from skill.speech.builder import Speech


def test_a_greeting_by_name_is_valid_ssml_with_the_name_tag():
    rendered = Speech("Welcome back,").name("amzn1.ask.person.ABC").say(".", "Ready to stretch?").ssml()
    assert rendered == ('<speak>Welcome back, <alexa:name type="first" personId="amzn1.ask.person.ABC"/>. '
                        "Ready to stretch?</speak>")
    assert ssml.check(rendered) == []


def test_a_hostile_person_id_cannot_break_out_of_the_attribute():
    rendered = Speech("Hi").name('x"/><audio src="http://evil"/><alexa:name type="first" personId="y').ssml()
    assert ssml.check(rendered) == []
    assert "<audio" not in rendered


def test_a_name_tag_without_its_attributes_is_refused():
    assert ssml.check('<speak>Hi <alexa:name personId="p"/></speak>')
    assert ssml.check('<speak>Hi <alexa:name type="first"/></speak>')


def test_the_name_is_not_text_the_skill_can_read_or_time():
    speech = Speech("Welcome back,").name("amzn1.ask.person.ABC")
    assert speech.text() == "Welcome back,"
    assert speech.estimated_seconds() == Speech("Welcome back,").estimated_seconds()


def test_transcripts_show_where_alexa_says_the_name():
    rendered = Speech("Hi").name("amzn1.ask.person.ABC").say(".", "Ready?").ssml()
    assert ssml.to_text(rendered) == "Hi [name]. Ready?"
