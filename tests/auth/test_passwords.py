"""Argon2id with the production parameters, and the cheap ones only under TESTING."""

from __future__ import annotations

from argon2 import Type, extract_parameters

from portal.auth import passwords


def test_passwords_are_hashed_with_the_production_argon2_parameters():
    """Outside a testing application (no app context here), the real cost applies."""
    stored = passwords.hash_password("mot-mat-khau-dai")
    parameters = extract_parameters(stored)
    assert parameters.type is Type.ID
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (2, 46 * 1024, 1)
    assert passwords.verify_password(stored, "mot-mat-khau-dai")
    assert not passwords.verify_password(stored, "mot-mat-khau-khac")
    assert not passwords.needs_rehash(stored)
    assert passwords.needs_rehash(passwords.TEST_HASHER.hash("mot-mat-khau-dai"))  # a weak hash is upgraded


def test_a_testing_application_hashes_cheaply(app):
    stored = passwords.hash_password("mot-mat-khau-dai")
    assert stored.startswith("$argon2id$")
    assert extract_parameters(stored).memory_cost == passwords.TEST_HASHER.memory_cost
    assert passwords.verify_password(passwords.HASHER.hash("mot-mat-khau-dai"), "mot-mat-khau-dai")
