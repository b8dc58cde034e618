"""Steps: what the engine decided to do with each resource, named like Pulumi's step ops."""

from __future__ import annotations

from dataclasses import dataclass, field

SAME = "same"
CREATE = "create"
UPDATE = "update"
DELETE = "delete"
REPLACE = "replace"
CREATE_REPLACEMENT = "create-replacement"
DELETE_REPLACED = "delete-replaced"
READ = "read"
READ_REPLACEMENT = "read-replacement"
DISCARD = "discard"
DISCARD_REPLACED = "discard-replaced"
IMPORT = "import"
# Dropping an entry whose delete-before-replace already deleted it; never shown or counted.
REMOVE_PENDING_REPLACE = "remove-pending-replace"

# Steps the engine does not count on their own: they are halves of a "replace".
_NON_LOGICAL = {CREATE_REPLACEMENT, DELETE_REPLACED, DISCARD_REPLACED}

# Ops that do not make `--expect-no-changes` fail (ResourceChanges.HasChanges).
NOT_CHANGES = {SAME, READ, DISCARD, READ_REPLACEMENT}

SYMBOLS = {
    SAME: " ",
    CREATE: "+",
    UPDATE: "~",
    DELETE: "-",
    REPLACE: "+-",
    CREATE_REPLACEMENT: "++",
    DELETE_REPLACED: "--",
    READ: ">",
    READ_REPLACEMENT: ">>",
    DISCARD: "<",
    DISCARD_REPLACED: "<<",
    IMPORT: "=",
}

PAST_TENSE = {
    SAME: "unchanged",
    CREATE: "created",
    UPDATE: "updated",
    DELETE: "deleted",
    REPLACE: "replaced",
    CREATE_REPLACEMENT: "created replacement",
    DELETE_REPLACED: "deleted original",
    READ: "read",
    READ_REPLACEMENT: "read replacement",
    DISCARD: "discarded",
    DISCARD_REPLACED: "discarded original",
    IMPORT: "imported",
}

FUTURE_TENSE = {
    SAME: "unchanged",
    CREATE: "to create",
    UPDATE: "to update",
    DELETE: "to delete",
    REPLACE: "to replace",
    READ: "to read",
    READ_REPLACEMENT: "to read replacement",
    DISCARD: "to discard",
    IMPORT: "to import",
}


@dataclass(frozen=True)
class StepDiff:
    """What Diff decided, after the engine's own processing.

    ``provider_answer`` is the provider's raw ``changes`` ("DIFF_NONE", "DIFF_SOME",
    "DIFF_UNKNOWN"). ``changed_keys`` is only filled when the engine diffed the inputs itself
    (the DIFF_UNKNOWN path, ``__provider`` included). ``replaces`` are the final replace keys.
    """

    provider_answer: str
    changes: bool
    changed_keys: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()
    delete_before_replace: bool = False


@dataclass
class Step:
    """One step of an operation. ``error`` holds the text the CLI would print if it failed."""

    op: str
    urn: str
    type: str
    name: str
    id: str = ""
    parent: str = ""
    custom: bool = True
    diff: StepDiff | None = None
    error: str | None = None
    display_keys: tuple[str, ...] = field(default=())
    counted: bool = True

    def __post_init__(self) -> None:
        if self.op in _NON_LOGICAL:
            self.counted = False

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def is_change(self) -> bool:
        return self.counted and self.op not in NOT_CHANGES
