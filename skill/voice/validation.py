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
    return generated_model_problems(host, generated_models(host), "{locale} model")
