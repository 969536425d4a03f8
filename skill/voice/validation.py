"""Everything wrong with a loaded set of plugins: their load failures and the interaction models
generated from them, for every locale. ``stride-coach validate`` and the test kit both use it."""

from __future__ import annotations

from skill.host.host import PluginHost
from skill.voice.builtin_intents import BUILTIN_PHRASES
from skill.voice.checks import model_problems
from skill.voice.model import LOCALES, build_model


def plugin_failures(host: PluginHost, name: str | None = None) -> list[str]:
    """``plugin NAME: reason`` for every failed plugin (or for plugin ``name`` only)."""
    return [f"plugin {record.name}: {error}" for record in host.records.values()
            if record.status == "failed" and name in (None, record.name) for error in record.errors]


def generated_models(host: PluginHost) -> dict[str, dict]:
    return {locale: build_model(host, locale) for locale in LOCALES}


def generated_model_problems(host: PluginHost, models: dict[str, dict],
                             label: str = "<generated {locale} model>") -> list[str]:
    handled = set(host.intents) | set(BUILTIN_PHRASES)
    return [str(p) for locale, model in models.items()
            for p in model_problems(model, handled, label.format(locale=locale))]


def plugin_problems(host: PluginHost, name: str) -> list[str]:
    """Every problem with plugin ``name``: why it failed to load, or what breaks the models it adds to."""
    record = host.records.get(name)
    if record is None:
        return [f"plugin {name!r} was not found (is its package installed with a 'stride_coach' entry point?)"]
    if record.status != "loaded":
        return plugin_failures(host, name) or [f"plugin {name} is {record.status}"]
    return generated_model_problems(host, generated_models(host), "{locale} model") + rehearsal_problems(host, name)


REHEARSAL_USER = "amzn1.ask.account.STRIDE-COACH-REHEARSAL"


def rehearsal_problems(host: PluginHost, name: str | None = None) -> list[str]:
    """What plugins get wrong once people talk to them, which loading cannot show.

    A short rehearsal on a throwaway store: a launch, help and "what else can I say?" (every
    ``launch_offer``), then each plugin intent (of plugin ``name``, or of every plugin) asked
    once without slots after a launch, as Alexa may send it. The run-time checks that guard real
    users (hook results validated, slow hooks cut off, see skill.host.runtime) record what each
    plugin did wrong; a response that breaks Alexa's rules is reported too. Returns
    ``plugin NAME at run time: what`` lines. The host's plugins may be suspended afterwards:
    rehearse on a host made for checking, not on one that serves.
    """
    try:
        return _rehearse(host, name)
    except Exception as exc:  # e.g. a screen document the skill refuses at start-up (reported on its own)
        return [f"rehearsal: the skill could not start with these plugins: {type(exc).__name__}: {exc}"[:400]]


def _rehearse(host: PluginHost, name: str | None) -> list[str]:
    import tempfile
    from pathlib import Path

    from skill.host.runtime import RuntimeHealth
    from skill.kit.simulator import AlexaSimulator
    from skill.pipeline.app import SkillApp
    from skill.store.sqlite import SQLiteAdapter

    found: list[str] = []
    saved_health = host.health
    with tempfile.TemporaryDirectory(prefix="stride-coach-rehearsal-") as folder:
        host.health = RuntimeHealth(Path(folder) / "health.json")
        adapter = SQLiteAdapter(Path(folder) / "rehearsal.db")
        try:
            app = SkillApp(host, adapter)
            conversations: list[tuple[str, list[tuple[str, str]]]] = [
                ("the menu", [("launch", ""), ("intent", "AMAZON.HelpIntent"), ("say", "what else can i say")])]
            conversations += [(intent, [("launch", ""), ("intent", intent)])
                              for intent, spec in sorted(host.intents.items()) if name in (None, spec.plugin)]
            alexa = AlexaSimulator(app, user_id=REHEARSAL_USER)  # builds the model once, to resolve what is said
            for index, (label, turns) in enumerate(conversations):
                alexa.switch_user(f"{REHEARSAL_USER}-{index}")
                for kind, what in turns:
                    try:
                        if kind == "launch":
                            alexa.launch()
                        elif kind == "intent":
                            alexa.intent(what)
                        else:
                            alexa.say(what)
                    except AssertionError as broken:  # check_response: the answer breaks Alexa's rules
                        owner = host.intents[label].plugin if label in host.intents else "core"
                        found.append(f"plugin {owner} at run time: the answer to {label} breaks Alexa's rules: "
                                     f"{str(broken).splitlines()[0][:200]}")
                        break
            health = host.health.read()
        finally:
            host.health = saved_health
            adapter.close()
    for plugin, entry in sorted(health.items()):
        if name in (None, plugin) and isinstance(entry, dict):
            cut_off = f", {entry.get('cut_off')} cut off for taking too long" if entry.get("cut_off") else ""
            found.append(f"plugin {plugin} at run time: {entry.get('failures')} failure(s){cut_off}; "
                         f"last: {entry.get('last')}")
    return found
