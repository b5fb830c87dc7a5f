"""A typed registry that refuses duplicates, so two things can never share one key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar


class AlreadyRegistered(KeyError):
    pass


T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, key: str, item: T) -> T:
        if key in self._items:
            raise AlreadyRegistered(f"{self.kind} {key!r} is already registered")
        self._items[key] = item
        return item

    def get(self, key: str) -> T | None:
        return self._items.get(key)

    def __getitem__(self, key: str) -> T:
        try:
            return self._items[key]
        except KeyError:
            raise KeyError(f"no {self.kind} {key!r} is registered") from None

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def values(self) -> list[T]:
        return list(self._items.values())

    def keys(self) -> list[str]:
        return list(self._items)
