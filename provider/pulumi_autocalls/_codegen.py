"""The source generated from the field table: the resource's arguments and outputs, the records.

``python -m pulumi_autocalls._codegen`` rewrites every block between ``# <generated:NAME>`` and
``# </generated:NAME>`` in the modules of ``TARGETS``; a test fails when a block and the table
disagree. The blocks are written into the source (rather than built at import) so that editors
and type checkers see every argument, its type and its documentation.
"""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from ._core.fields import COMPUTED, FIELDS, INPUTS, PROPERTIES, Field, Kind, Role

_PACKAGE = Path(__file__).resolve().parent
_INDENT = "    "


def _alias(field: Field) -> str:
    """A choice field's ``Literal`` type: ``sip_calling_format`` -> ``SipCallingFormat``."""
    return "".join(part.title() for part in field.name.split("_"))


def _input_type(field: Field) -> str:
    if field.kind is Kind.CHOICE:
        return f"pulumi.Input[{_alias(field)}]"
    if field.kind is Kind.BOOLEAN:
        return "pulumi.Input[bool]"
    if field.kind is Kind.IP_LIST:
        return "pulumi.Input[Sequence[pulumi.Input[str]]]"
    if field.kind is Kind.TRUNK_ID:
        return "pulumi.Input[str] | pulumi.Input[int]"
    return "pulumi.Input[str]"


def _value_type(field: Field) -> str:
    if field.kind is Kind.CHOICE:
        return _alias(field)
    if field.kind is Kind.BOOLEAN:
        return "bool"
    if field.kind is Kind.IP_LIST:
        return "list[str]"
    return "str"


def _optional_output(field: Field) -> bool:
    """Whether the output can be unset: not required and no default, or never returned by the
    API (unset on a trunk read with ``SipTrunk.get``)."""
    if field.role is Role.COMPUTED:
        return False
    return field.write_only or (not field.required and field.default is None)


def _output_doc(field: Field) -> str:
    if field.write_only:
        return f"{field.doc} Unset on a trunk read with ``SipTrunk.get``."
    return field.doc


def _docstring(text: str, indent: str) -> list[str]:
    return (
        [f'{indent}"""{text}"""']
        if len(indent) + len(text) + 6 <= 100
        else [
            f'{indent}"""',
            *textwrap.wrap(text, 100, initial_indent=indent, subsequent_indent=indent),
            f'{indent}"""',
        ]
    )


def _param_lines(field: Field, indent: str) -> list[str]:
    kind = "required" if field.required else "optional"
    text = f":param {field.name}: ({kind}) {field.doc}"
    return textwrap.wrap(text, 100, initial_indent=indent, subsequent_indent=indent + _INDENT)


def choice_types() -> str:
    lines = []
    for field in FIELDS:
        if field.kind is Kind.CHOICE:
            choices = ", ".join(f'"{choice}"' for choice in field.choices)
            lines.append(f"{_alias(field)} = Literal[{choices}]")
    return "\n".join(lines)


def args_class() -> str:
    ordered = sorted(INPUTS, key=lambda field: not field.required)
    lines = [
        "@dataclass(kw_only=True)",
        "class SipTrunkArgs:",
        f'{_INDENT}"""The inputs of a ``SipTrunk``, for ``SipTrunk(name, SipTrunkArgs(...))``.',
        "",
    ]
    for field in ordered:
        lines += _param_lines(field, _INDENT)
    lines.append(f'{_INDENT}"""')
    for field in ordered:
        lines.append("")
        default = "" if field.required else " | None = None"
        if field.secret:  # kept out of the repr, which logs and tracebacks show
            hidden = "repr=False" if field.required else "default=None, repr=False"
            default = default.removesuffix(" = None") + f" = dataclass_field({hidden})"
        lines.append(f"{_INDENT}{field.name}: {_input_type(field)}{default}")
        lines += _docstring(field.doc, _INDENT)
    return "\n".join(lines) + "\n\n"  # the two blank lines after a class


def outputs() -> str:
    lines: list[str] = []
    for field in PROPERTIES:
        kind = _value_type(field) + (" | None" if _optional_output(field) else "")
        if lines:
            lines.append("")
        lines.append(f'{_INDENT}{field.name} = _Output[{kind}]("{field.name}")')
        lines += _docstring(_output_doc(field), _INDENT)
    return "\n".join(lines)


def init_signatures() -> str:
    def keywords(required: bool) -> list[str]:
        ordered = sorted(INPUTS, key=lambda field: not field.required) if required else INPUTS
        return [
            f"{_INDENT * 2}{f.name}: {_input_type(f)}"
            + ("," if required and f.required else " | None = None,")
            for f in ordered
        ]

    doc = [
        f'{_INDENT * 2}"""Declare a SIP trunk, with keyword arguments or with ``SipTrunkArgs``.',
        "",
        f"{_INDENT * 2}Keyword arguments override the same fields of ``args``. ``sip_password`` is "
        "always",
        f"{_INDENT * 2}made a secret, whatever was passed.",
        "",
        f"{_INDENT * 2}:param resource_name: The name of the resource in the stack.",
        f"{_INDENT * 2}:param args: The inputs, instead of keyword arguments.",
        f"{_INDENT * 2}:param opts: Options for the resource.",
    ]
    for field in INPUTS:
        doc += _param_lines(field, _INDENT * 2)
    doc.append(f'{_INDENT * 2}"""')
    return "\n".join(
        [
            f"{_INDENT}@overload",
            f"{_INDENT}def __init__(",
            f"{_INDENT * 2}self,",
            f"{_INDENT * 2}resource_name: str,",
            f"{_INDENT * 2}args: None = None,",
            f"{_INDENT * 2}opts: pulumi.ResourceOptions | None = None,",
            f"{_INDENT * 2}*,",
            *keywords(required=True),
            f"{_INDENT}) -> None: ...",
            f"{_INDENT}@overload",
            f"{_INDENT}def __init__(",
            f"{_INDENT * 2}self,",
            f"{_INDENT * 2}resource_name: str,",
            f"{_INDENT * 2}args: SipTrunkArgs,",
            f"{_INDENT * 2}opts: pulumi.ResourceOptions | None = None,",
            f"{_INDENT * 2}*,",
            *keywords(required=False),
            f"{_INDENT}) -> None: ...",
            f"{_INDENT}def __init__(",
            f"{_INDENT * 2}self,",
            f"{_INDENT * 2}resource_name: str,",
            f"{_INDENT * 2}args: SipTrunkArgs | None = None,",
            f"{_INDENT * 2}opts: pulumi.ResourceOptions | None = None,",
            f"{_INDENT * 2}**keywords: Any,",
            f"{_INDENT}) -> None:",
            *doc,
        ]
    )


def _record_fields(fields: tuple[Field, ...] | list[Field]) -> list[str]:
    lines = []
    for field in fields:
        kind = "str" if field.kind is Kind.CHOICE else _value_type(field)
        optional = field.role is Role.COMPUTED and field.kind is Kind.VOICE_TRUNK_ID
        optional = optional or (field.role is Role.FIELD and _optional_output(field))
        lines.append(f"{_INDENT}{field.name}: {kind}" + (" | None = None" if optional else ""))
        if field.kind is Kind.CHOICE:
            lines += _docstring(f"{field.rule[0].upper()}{field.rule[1:]} today.", _INDENT)
    return lines


def summary_fields() -> str:
    listed = [f for f in FIELDS if not f.write_only]
    listed += [f for f in COMPUTED if f.kind is not Kind.VOICE_TRUNK_ID]
    return "\n".join([f"{_INDENT}id: int", *_record_fields(listed)])


def record_fields() -> str:
    return "\n".join(_record_fields([f for f in COMPUTED if f.kind is Kind.VOICE_TRUNK_ID]))


TARGETS: dict[Path, dict[str, Callable[[], str]]] = {
    _PACKAGE / "_dynamic" / "resource.py": {
        "choice-types": choice_types,
        "args": args_class,
        "outputs": outputs,
        "init": init_signatures,
    },
    _PACKAGE / "_core" / "models.py": {
        "summary-fields": summary_fields,
        "record-fields": record_fields,
    },
}


def render(text: str, blocks: dict[str, Callable[[], str]]) -> str:
    """``text`` with every generated block replaced by its current rendering."""
    for name, make in blocks.items():
        pattern = re.compile(
            rf"(^[ ]*# <generated:{name}>\n).*?(^[ ]*# </generated:{name}>)", re.DOTALL | re.M
        )
        found = pattern.search(text)
        if found is None:
            raise ValueError(f"no generated block {name!r}")
        text = (
            text[: found.start()]
            + f"{found.group(1)}{make()}\n{found.group(2)}"
            + text[found.end() :]
        )
    return text


def main() -> int:
    for path, blocks in TARGETS.items():
        path.write_text(render(path.read_text(encoding="utf-8"), blocks), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
