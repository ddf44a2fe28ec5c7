"""Module attributes loaded on first use (PEP 562), so that ``import revclient`` pays only
for what every program needs."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any


def load(package: str, lazy: Mapping[str, str], name: str, namespace: dict[str, Any]) -> Any:
    """``package``'s attribute ``name`` from the module ``lazy[name]`` names (relative to
    ``package``; the module itself when its last part is ``name``), cached in ``namespace``
    so that later lookups never come here again."""
    module = lazy.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    loaded = importlib.import_module(module, package)
    value = loaded if module.rsplit(".", 1)[-1] == name else getattr(loaded, name)
    namespace[name] = value
    return value
