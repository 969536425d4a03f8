"""What every store must do for a household: keep each recognised person apart, and forget one completely.

A store's test class mixes in :class:`PersonContract` next to ``PersistenceContract`` and provides
``adapter`` and ``raw_store`` (a function returning every byte the store holds, as an attacker
with the disk or the table would read it).
"""

from __future__ import annotations

import uuid

import pytest
from persistence_contract import typed

from skill.kit.device import SimulatedDevice as Device
from skill.store.owner import account_envelope, owner_key


def household() -> tuple[Device, Device, Device]:
    """One account's shared device, as heard from: an unrecognised voice, person A, person B."""
    account = f"amzn1.ask.account.household-{uuid.uuid4()}"
    return (Device(account), Device(account, person_id=f"amzn1.ask.person.A{uuid.uuid4().hex}"),
            Device(account, person_id=f"amzn1.ask.person.B{uuid.uuid4().hex}"))


class PersonContract:
    @pytest.fixture
    def raw_store(self):
        raise NotImplementedError("a store's test class provides raw_store")

    def test_each_person_and_the_account_have_their_own_data(self, adapter):
        shared, alice, bob = (d.launch() for d in household())
        adapter.save_attributes(shared, {"prefs": {"rate": 90}})
        adapter.save_attributes(alice, {"prefs": {"rate": 110}})
        adapter.save_attributes(bob, {"prefs": {"rate": 120}})
        assert adapter.get_attributes(shared) == {"prefs": {"rate": 90}}
        assert adapter.get_attributes(alice) == {"prefs": {"rate": 110}}
        assert adapter.get_attributes(typed(bob)) == {"prefs": {"rate": 120}}

    def test_a_new_person_starts_empty_and_the_accounts_data_stays_with_the_account(self, adapter):
        shared, alice, _ = (d.launch() for d in household())
        adapter.save_attributes(shared, {"history": [{"title": "from before voice profiles"}]})
        assert adapter.get_attributes(alice) == {}
        assert adapter.get_attributes(account_envelope(alice)) == {"history": [{"title": "from before voice profiles"}]}

    def test_forgetting_a_person_leaves_nothing_readable_of_them(self, adapter, raw_store):
        shared, alice, bob = household()
        secret = f"alice-only-{uuid.uuid4().hex}"
        adapter.save_attributes(alice.launch(), {"prefs": {"rate": 110}, "plugins": {"notes": secret},
                                                 "history": [{"title": secret}] * 20})
        adapter.save_attributes(bob.launch(), {"plugins": {"notes": "bob's"}})
        adapter.save_attributes(shared.launch(), {"plugins": {"notes": "the household's"}})
        assert secret.encode() in raw_store()
        adapter.delete_attributes(typed(alice.launch()))
        everything = raw_store()
        assert secret.encode() not in everything
        assert alice.person_id.encode() not in everything
        assert adapter.get_attributes(alice.launch()) == {}
        assert adapter.get_attributes(bob.launch()) == {"plugins": {"notes": "bob's"}}
        assert adapter.get_attributes(shared.launch()) == {"plugins": {"notes": "the household's"}}

    def test_forgetting_the_shared_profile_leaves_every_person_alone(self, adapter):
        shared, alice, _ = household()
        adapter.save_attributes(shared.launch(), {"prefs": {"rate": 90}})
        adapter.save_attributes(alice.launch(), {"prefs": {"rate": 110}})
        adapter.delete_attributes(shared.launch())
        assert adapter.get_attributes(shared.launch()) == {}
        assert adapter.get_attributes(alice.launch()) == {"prefs": {"rate": 110}}

    def test_an_account_id_cannot_pose_as_another_accounts_person(self, adapter):
        _, alice, _ = household()
        adapter.save_attributes(alice.launch(), {"prefs": {"rate": 110}})
        forged = Device(owner_key(alice.user_id, alice.person_id)).launch()
        assert adapter.get_attributes(forged) == {}
        adapter.delete_attributes(forged)
        assert adapter.get_attributes(alice.launch()) == {"prefs": {"rate": 110}}
