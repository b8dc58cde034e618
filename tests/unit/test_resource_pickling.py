"""Constructing SipTrunks leaves Python's pickler as it found it, however many are declared.

pulumi's ``serialize_provider`` wraps ``pickle._Pickler._batch_setitems`` once more on every call
and never unwraps it; without ``SipTrunk`` undoing that, the 980th dynamic resource of a process
fails with RecursionError (and every constructor pays for the wrappers before it).
"""

from __future__ import annotations

import pickle

from engine_harness import Engine
from trunk_samples import trunk_args, trunks_program


def test_declaring_trunks_leaves_the_pickler_unpatched(stack: Engine) -> None:
    before = {name: pickle._Pickler.__dict__.get(name) for name in ("_batch_setitems", "save_dict")}
    specs = {f"t{i}": trunk_args(phone_number=str(1000 + i)) for i in range(3)}

    stack.preview(trunks_program(specs))

    after = {name: pickle._Pickler.__dict__.get(name) for name in ("_batch_setitems", "save_dict")}
    assert after == before
