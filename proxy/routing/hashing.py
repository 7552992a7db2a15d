"""Stable hashing of (purpose, entity, key): every replica routes one record the same way."""

from __future__ import annotations

import hashlib


def bucket(purpose: str, key: str, buckets: int, entity: str = "") -> int:
    """A bucket in ``range(buckets)``, stable across processes, machines and releases."""
    digest = hashlib.blake2b(f"{purpose}\x00{entity}\x00{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % buckets


def fraction(purpose: str, entity: str, key: str) -> float:
    """A number in [0, 1) for sampling and ramps: ``fraction(...) < share`` selects ``share`` of keys."""
    return bucket(purpose, key, 1 << 30, entity) / float(1 << 30)


def key_hash(entity: str, key: str) -> str:
    """What logs and the Admin API show instead of a key."""
    return hashlib.blake2b(f"{entity}\x00{key}".encode(), digest_size=6).hexdigest()
