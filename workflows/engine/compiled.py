"""Parsed specs of deployed versions, cached per content hash in this process."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workflows.engine.parsing import Bundle, Dialect, SourceFile, parse_bundle

_CACHE_SIZE = 256


@dataclass(frozen=True)
class CompiledProcess:
    """An executable process of a deployed version: spec, called specs, metadata."""

    sha256: str
    process_id: str
    dialect: Dialect
    spec: Any
    subprocess_specs: dict[str, Any]
    camunda_attributes: Mapping[str, Mapping[str, str]]
    forms: Mapping[str, bytes]


def compile_process(bundle: Bundle, process_id: str, sha256: str) -> CompiledProcess:
    """Extract one process from a parsed bundle."""
    return CompiledProcess(
        sha256=sha256,
        process_id=process_id,
        dialect=bundle.dialect,
        spec=bundle.spec(process_id),
        subprocess_specs=bundle.subprocess_specs(process_id),
        camunda_attributes=dict(bundle.camunda_attributes),
        forms={f.name: f.content for f in bundle.files if f.kind == "json"},
    )


_cache: OrderedDict[tuple[str, str], CompiledProcess] = OrderedDict()
_lock = threading.Lock()


def compiled_process(
    sha256: str,
    process_id: str,
    load: Callable[[], tuple[Sequence[SourceFile], Dialect]],
) -> CompiledProcess:
    """Return the parsed process for a content hash, parsing it on first use."""
    key = (sha256, process_id)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    files, dialect = load()
    compiled = compile_process(
        parse_bundle(files, dialect, schema_check=False), process_id, sha256
    )
    with _lock:
        _cache[key] = compiled
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return compiled
