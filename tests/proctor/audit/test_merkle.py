"""The audit log's Merkle tree against RFC 6962's published vectors (the Certificate
Transparency reference leaves), and every inclusion and consistency proof on logs of many
sizes: each verifies, and a changed, shortened, lengthened or misplaced one does not."""

from __future__ import annotations

import hashlib

import pytest

from proctor.audit.merkle import (
    EMPTY_ROOT,
    in_memory,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)

DATA = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f"]  # fmt: skip
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = {  # (leaf index, tree size): the audit path
    (0, 8): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    (5, 8): ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
}  # fmt: skip
CONSISTENCY = {
    (6, 8): ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
}  # fmt: skip
REFERENCE = in_memory([leaf_hash(bytes.fromhex(d)) for d in DATA])


def test_the_roots_are_rfc_6962s():
    assert EMPTY_ROOT.hex() == ROOTS[0]
    assert [REFERENCE.root(n).hex() for n in range(9)] == ROOTS


@pytest.mark.parametrize(("index", "size"), list(INCLUSION))
def test_the_inclusion_proofs_are_rfc_6962s(index, size):
    proof = REFERENCE.inclusion(index, size)
    assert [p.hex() for p in proof] == INCLUSION[index, size]
    leaf = leaf_hash(bytes.fromhex(DATA[index]))
    assert verify_inclusion(leaf, index, size, proof, bytes.fromhex(ROOTS[size]))


@pytest.mark.parametrize(("old", "new"), list(CONSISTENCY))
def test_the_consistency_proofs_are_rfc_6962s(old, new):
    proof = REFERENCE.consistency(old, new)
    assert [p.hex() for p in proof] == CONSISTENCY[old, new]
    assert verify_consistency(old, new, bytes.fromhex(ROOTS[old]), bytes.fromhex(ROOTS[new]), proof)


def _leaves(n: int) -> list[bytes]:
    return [leaf_hash(hashlib.sha256(f"record {i}".encode()).digest()) for i in range(n)]


def _spoiled(proof: list[bytes]) -> list[list[bytes]]:
    """Each way a proof can be wrong: a changed hash, one missing, one too many, two swapped."""
    out = [[*proof, bytes(32)]]
    if proof:
        out += [[bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]], proof[:-1]]
    if len(proof) >= 2 and proof[0] != proof[1]:
        out.append([proof[1], proof[0], *proof[2:]])
    return out


def test_every_inclusion_proof_verifies_and_no_spoiled_one_does():
    leaves = _leaves(40)
    tree = in_memory(leaves)
    for size in range(1, 41):
        root = tree.root(size)
        for index in range(size):
            proof = tree.inclusion(index, size)
            assert verify_inclusion(leaves[index], index, size, proof, root)
            assert not verify_inclusion(leaves[index], (index + 1) % (size + 1), size, proof, root)
            for bad in _spoiled(proof):
                assert not verify_inclusion(leaves[index], index, size, bad, root), (index, size)


def test_every_consistency_proof_verifies_and_no_spoiled_one_does():
    tree = in_memory(_leaves(40))
    roots = [tree.root(n) for n in range(41)]
    for new in range(41):
        for old in range(new + 1):
            proof = tree.consistency(old, new)
            assert verify_consistency(old, new, roots[old], roots[new], proof), (old, new)
            if 0 < old < new:
                for bad in _spoiled(proof):
                    assert not verify_consistency(old, new, roots[old], roots[new], bad)
                # a different history of the same size is caught
                assert not verify_consistency(old, new, roots[old - 1], roots[new], proof)
                assert not verify_consistency(new, old, roots[new], roots[old], proof)


def test_the_edges():
    tree = in_memory(_leaves(5))
    with pytest.raises(ValueError):
        tree.inclusion(5, 5)
    with pytest.raises(ValueError):
        tree.consistency(3, 6)
    assert verify_consistency(0, 5, EMPTY_ROOT, tree.root(), [])
    assert not verify_consistency(0, 5, tree.root(1), tree.root(), [])
    assert verify_consistency(4, 4, tree.root(4), tree.root(4), [])
    assert not verify_consistency(4, 4, tree.root(4), tree.root(5), [])
    assert not verify_inclusion(b"short", 0, 5, tree.inclusion(0), tree.root())


def test_a_frontier_gives_every_root_and_every_perfect_subtree():
    from proctor.audit.merkle import Frontier

    leaves = [leaf_hash(bytes([i % 256, i // 256])) for i in range(70)]
    full = in_memory(leaves)
    frontier, made = Frontier(), {}
    assert frontier.root() == EMPTY_ROOT
    for i, leaf in enumerate(leaves):
        made.update({(level, index): h for level, index, h in frontier.append(leaf)})
        assert frontier.root() == full.root(i + 1)
    # Every perfect subtree of 70 leaves was made once, with the hash the tree computes.
    expected = {(lv, ix) for lv in range(7) for ix in range(70 >> lv)}
    assert set(made) == expected
    assert all(made[lv, ix] == full._hash(ix << lv, (ix + 1) << lv) for lv, ix in expected)
    # A frontier resumed from its stored subtrees continues where it stopped.
    resumed = Frontier(45, {lv: made[lv, ix] for lv, ix in Frontier.needed(45)})
    for leaf in leaves[45:]:
        resumed.append(leaf)
    assert resumed.root() == full.root()
    with pytest.raises(ValueError):
        Frontier(45, {0: leaves[0]})
