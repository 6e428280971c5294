"""Find the calls that write without a model's save() or that bypass the ORM.

Used by test_changes_outside_services.py; see its docstring for what is reported.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("webapp", "workflows", "notifications", "audit")
WRITE_METHODS = {"bulk_update", "bulk_create"}
# QuerySet.update and Model/QuerySet.delete take keywords only: with a positional
# argument the call is dict.update, hash.update, storage.delete and the like.
KEYWORD_ONLY_WRITES = {"update", "delete"}
RAW_SQL_METHODS = {"raw", "extra", "execute", "executemany", "executescript", "cursor"}
RAW_SQL_NAMES = {"RawSQL"}


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    scope: str
    call: str
    line: int

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.path, self.scope, self.call)


class _CallFinder(ast.NodeVisitor):
    def __init__(self, path: str) -> None:
        self.path = path
        self.scopes: list[str] = []
        self.findings: list[Finding] = []

    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        self.scopes.append(node.name)
        self.generic_visit(node)
        self.scopes.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _enter

    def visit_Call(self, node: ast.Call) -> None:
        if _writes_or_bypasses_orm(node):
            self.findings.append(
                Finding(
                    path=self.path,
                    scope=".".join(self.scopes) or "<module>",
                    call=ast.unparse(node.func),
                    line=node.lineno,
                )
            )
        self.generic_visit(node)


def _writes_or_bypasses_orm(node: ast.Call) -> bool:
    function = node.func
    if isinstance(function, ast.Name):
        return function.id in RAW_SQL_NAMES
    if not isinstance(function, ast.Attribute):
        return False
    name = function.attr
    if name in KEYWORD_ONLY_WRITES:
        return not node.args
    return name in WRITE_METHODS or name in RAW_SQL_METHODS


def scan_source(source: str, path: str) -> list[Finding]:
    """Return the writes and raw SQL calls in one module's source."""
    finder = _CallFinder(path)
    finder.visit(ast.parse(source, path))
    return finder.findings


def scan_project() -> list[Finding]:
    """Return the writes and raw SQL calls in the project's packages."""
    findings: list[Finding] = []
    for package in PACKAGES:
        for file in sorted((ROOT / package).rglob("*.py")):
            path = file.relative_to(ROOT).as_posix()
            if "/migrations/" not in path:
                findings += scan_source(file.read_text(encoding="utf-8"), path)
    return findings
