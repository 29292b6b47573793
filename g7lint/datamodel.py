"""Frozen dataclasses that pydantic validates and serialises only at the boundary.

The report, policy and configuration types are plain dataclasses, so a
one-card ``g7lint check`` with text, github or sarif output never imports
pydantic (about a third of its start-up when they were pydantic models).
Their constraints and descriptions sit in each field's ``metadata`` under
pydantic's ``Field`` argument names (``alias``, ``ge``, ``description``...),
and ``__pydantic_config__`` holds the model settings, so pydantic builds the
same validators and JSON Schemas from them when one is asked for: validating
a policy or config file, writing JSON, generating ``schemas/``.

:class:`Record` gives them the pydantic model methods the package and its
users call (``model_validate``, ``model_dump_json``, ...), each importing
pydantic on first use.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

if TYPE_CHECKING:
    from pydantic import TypeAdapter

R = TypeVar("R", bound="Record")


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def adapter(cls: type) -> TypeAdapter[Any]:
    """pydantic's validator and serialiser for ``cls``, built once per class."""
    built = _ADAPTERS.get(cls)
    if built is None:
        from pydantic import TypeAdapter

        built = _ADAPTERS[cls] = TypeAdapter(cls)
    return built


class Record:
    """pydantic's model methods, for a frozen dataclass."""

    __slots__ = ()
    #: pydantic's model settings for the dataclass (a ConfigDict); a subclass may widen them.
    __pydantic_config__: ClassVar[Any] = {"extra": "forbid"}

    @classmethod
    def model_validate(cls: type[R], data: Any) -> R:
        """``data`` (a mapping, or an instance) checked and converted; raises pydantic's ``ValidationError``."""
        result: R = adapter(cls).validate_python(data)
        return result

    @classmethod
    def model_validate_json(cls: type[R], data: str | bytes) -> R:
        result: R = adapter(cls).validate_json(data)
        return result

    @classmethod
    def model_json_schema(
        cls, *, by_alias: bool = True, mode: Literal["validation", "serialization"] = "validation"
    ) -> dict[str, Any]:
        schema: dict[str, Any] = adapter(cls).json_schema(by_alias=by_alias, mode=mode)
        return schema

    def model_dump(self, *, mode: Literal["python", "json"] = "python", by_alias: bool = False) -> dict[str, Any]:
        dumped: dict[str, Any] = adapter(type(self)).dump_python(self, mode=mode, by_alias=by_alias)
        return dumped

    def model_dump_json(self, *, indent: int | None = None, by_alias: bool = False) -> str:
        return adapter(type(self)).dump_json(self, indent=indent, by_alias=by_alias).decode()

    def model_copy(self: R, *, update: dict[str, Any] | None = None) -> R:
        """A copy with the fields in ``update`` replaced (not validated, as in pydantic)."""
        return dataclasses.replace(self, **(update or {}))  # type: ignore[type-var]
