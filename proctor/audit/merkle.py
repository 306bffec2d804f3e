"""A Merkle tree over the audit records as Certificate Transparency builds it (RFC 6962 §2.1,
verification as RFC 9162 §2.1.3.2 and §2.1.4.2 write it): SHA-256, leaves and nodes hashed
with their own prefix byte so that neither can pass for the other.

A `Tree` answers from the hashes of its perfect subtrees (2^level leaves starting at a multiple
of 2^level), which its owner stores or computes: every hash a root or a proof needs is a node
over O(log n) of them, so a proof in a log of millions reads a few dozen hashes.

No library: the few Python ones for RFC 6962 are unmaintained, and this is small enough to be
checked against the RFC's published vectors (`tests/proctor/audit/test_merkle.py`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

LEAF, NODE = b"\x00", b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

Perfect = Callable[[int, int], bytes]  # (level, index) -> the hash of that perfect subtree


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two below `n` (n >= 2): the size of the left subtree."""
    return 1 << ((n - 1).bit_length() - 1)


class Tree:
    """The log's first `size` leaves, as seen through `perfect`."""

    def __init__(self, size: int, perfect: Perfect) -> None:
        self.size, self._perfect = size, perfect

    def root(self, size: int | None = None) -> bytes:
        size = self.size if size is None else size
        self._check(0 <= size <= self.size, f"no tree of {size} leaves in a log of {self.size}")
        return self._hash(0, size)

    def inclusion(self, index: int, size: int | None = None) -> list[bytes]:
        """The audit path of leaf `index` in the tree of `size` leaves (RFC 6962 PATH)."""
        size = self.size if size is None else size
        self._check(0 <= index < size <= self.size, f"no leaf {index} in a tree of {size}")
        return self._path(index, 0, size)

    def consistency(self, old: int, new: int | None = None) -> list[bytes]:
        """The proof that the tree of `new` leaves extends that of `old` (RFC 6962 PROOF)."""
        new = self.size if new is None else new
        self._check(0 <= old <= new <= self.size, f"no proof from {old} to {new} leaves")
        if old in (0, new):
            return []
        return self._subproof(old, 0, new, True)

    def _hash(self, lo: int, hi: int) -> bytes:
        n = hi - lo
        if n == 0:
            return EMPTY_ROOT
        if n & (n - 1) == 0 and lo % n == 0:
            return self._perfect(n.bit_length() - 1, lo // n)
        k = _split(n)
        return node_hash(self._hash(lo, lo + k), self._hash(lo + k, hi))

    def _path(self, m: int, lo: int, hi: int) -> list[bytes]:
        if hi - lo == 1:
            return []
        k = _split(hi - lo)
        if m < k:
            return [*self._path(m, lo, lo + k), self._hash(lo + k, hi)]
        return [*self._path(m - k, lo + k, hi), self._hash(lo, lo + k)]

    def _subproof(self, m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
        n = hi - lo
        if m == n:
            return [] if whole else [self._hash(lo, hi)]
        k = _split(n)
        if m <= k:
            return [*self._subproof(m, lo, lo + k, whole), self._hash(lo + k, hi)]
        return [*self._subproof(m - k, lo + k, hi, False), self._hash(lo, lo + k)]

    @staticmethod
    def _check(ok: bool, message: str) -> None:
        if not ok:
            raise ValueError(message)


def in_memory(leaves: Sequence[bytes]) -> Tree:
    """A tree over leaf hashes held in memory (an export, a test), its subtrees cached."""
    cache: dict[tuple[int, int], bytes] = {}

    def perfect(level: int, index: int) -> bytes:
        if level == 0:
            return leaves[index]
        key = (level, index)
        if key not in cache:
            cache[key] = node_hash(perfect(level - 1, 2 * index), perfect(level - 1, 2 * index + 1))
        return cache[key]

    return Tree(len(leaves), perfect)


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == 32


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Whether `proof` shows the leaf hash `leaf` at `index` in the tree of `size` whose root
    is `root` (RFC 9162 §2.1.3.2)."""
    if not (0 <= index < size) or not all(_is_hash(h) for h in (leaf, root, *proof)):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether `proof` shows the tree of `new` leaves (root `new_root`) to extend the tree of
    `old` leaves (root `old_root`) (RFC 9162 §2.1.4.2)."""
    if not (0 <= old <= new) or not all(_is_hash(h) for h in (old_root, new_root, *proof)):
        return False
    if old == new:
        return not proof and old_root == new_root
    if old == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = [old_root, *proof] if old & (old - 1) == 0 else list(proof)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0


class Frontier:
    """The perfect subtrees a log's first `size` leaves end in, one for each bit set in `size`
    (level -> hash): all that appending a leaf, or the root, needs. Checks stream millions of
    records through one; the stored tree grows through one."""

    def __init__(self, size: int = 0, subtrees: dict[int, bytes] | None = None) -> None:
        self.size = size
        self.subtrees = dict(subtrees or {})
        if set(self.subtrees) != set(self.levels(size)):
            raise ValueError(f"a log of {size} leaves needs subtrees at levels {self.levels(size)}")

    @staticmethod
    def levels(size: int) -> list[int]:
        return [level for level in range(size.bit_length()) if size >> level & 1]

    @staticmethod
    def needed(size: int) -> list[tuple[int, int]]:
        """The (level, index) of the perfect subtrees a frontier of `size` leaves holds."""
        return [(level, (size >> level) - 1) for level in Frontier.levels(size)]

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; returns every perfect subtree it completes, itself first, as
        (level, index, hash)."""
        made = [(0, self.size, leaf)]
        level, index, current = 0, self.size, leaf
        while index & 1:  # a left sibling waits at this level: they make a subtree above
            current = node_hash(self.subtrees.pop(level), current)
            level, index = level + 1, index >> 1
            made.append((level, index, current))
        self.subtrees[level] = current
        self.size += 1
        return made

    def root(self) -> bytes:
        if not self.size:
            return EMPTY_ROOT
        levels = sorted(self.subtrees)
        current = self.subtrees[levels[0]]
        for level in levels[1:]:  # the larger, older subtree is always on the left
            current = node_hash(self.subtrees[level], current)
        return current
