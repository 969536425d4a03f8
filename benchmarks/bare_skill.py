"""The yardstick for ``bench_skill.py``: a bare ask-sdk-core skill with one LaunchRequest handler.

This is the least a Python Alexa skill on ask-sdk-core can do: build a skill with
``SkillBuilder``, answer LaunchRequest with a spoken welcome and a reprompt, and expose
``lambda_handler()``. No persistence, no content, no plugins. Issue 2's targets compare the real
skill with this one (cold start and warm time per request, at most 2x each).

Lambda entry point: ``bare_skill.handler``.

:func:`with_store` builds the same skill with a persistence adapter whose attributes it reads and
writes on every request: not the yardstick of the targets, but a calibration that shows how much
of a real skill's time one store read and write take.
"""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import CustomSkillBuilder, SkillBuilder
from ask_sdk_core.utils import is_request_type

WELCOME = "Welcome to the bare skill. Say hello to hear it again."


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        return (handler_input.response_builder
                .speak(WELCOME)
                .ask("What would you like to do?")
                .set_should_end_session(False)
                .response)


sb = SkillBuilder()
sb.add_request_handler(LaunchHandler())
handler = sb.lambda_handler()


class CountingLaunchHandler(LaunchHandler):
    """The same welcome, after counting the launch in the user's persistent attributes."""

    def handle(self, handler_input):
        attributes = handler_input.attributes_manager.persistent_attributes
        attributes["launches"] = attributes.get("launches", 0) + 1
        handler_input.attributes_manager.save_persistent_attributes()
        return super().handle(handler_input)


def with_store(adapter):
    """A Lambda handler for the bare skill with ``adapter`` read and written on every request."""
    builder = CustomSkillBuilder(persistence_adapter=adapter)
    builder.add_request_handler(CountingLaunchHandler())
    return builder.lambda_handler()
