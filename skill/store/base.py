"""What every store of ours shares: the partition key (the Alexa user id) and the sections contract."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from skill.store.sections import Changes, Sections, changes_between, decode_sections, encode_sections


class SectionedStore:
    """Mixin for our store adapters: sections in and out, with ask-sdk's whole-document contract on top.

    An adapter implements :meth:`read_sections`, :meth:`write_sections` and ``delete_attributes``.
    The conversation reads sections and writes only the changed ones; ``get_attributes`` and
    ``save_attributes`` (ask-sdk's interface, which tests and tools use) work on whole documents.
    """

    @abstractmethod
    def read_sections(self, request_envelope: Any) -> Sections:
        """Every stored section of the envelope's user (empty for a user with nothing stored)."""

    @abstractmethod
    def write_sections(self, request_envelope: Any, changes: Changes, read: Sections) -> None:
        """Store ``changes`` (``None`` deletes a section) in one write; ``read`` is what the
        request read, so a store that writes whole items can keep the unchanged sections."""

    def get_attributes(self, request_envelope: Any) -> dict:
        return decode_sections(self.read_sections(request_envelope))

    def save_attributes(self, request_envelope: Any, attributes: dict) -> None:
        """Replace the user's whole document with ``attributes``."""
        read = self.read_sections(request_envelope)
        changes = changes_between(read, encode_sections(attributes))
        if changes:
            self.write_sections(request_envelope, changes, read)
