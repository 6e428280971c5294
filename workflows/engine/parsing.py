"""Parse a bundle of BPMN/DMN files into executable specs, with precise errors."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.dmn.parser.BpmnDmnParser import BpmnDmnParser
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from workflows.engine.errors import ModelInvalidError, ModelProblem

Dialect = Literal["spiff", "camunda"]

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
_NS = {"bpmn": BPMN_NS, "camunda": CAMUNDA_NS}
# Uploaded models are untrusted input: no entities, no network, no huge trees.
_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=False
)
CAMUNDA_TASK_ATTRIBUTES = ("assignee", "candidateGroups", "candidateUsers", "formKey")


@dataclass(frozen=True)
class SourceFile:
    """One file of a model bundle, by base name."""

    name: str
    content: bytes

    @property
    def kind(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower()


def bundle_sha256(files: Iterable[SourceFile]) -> str:
    """Hash a set of files independently of their order."""
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.name):
        digest.update(f.name.encode() + b"\0")
        digest.update(hashlib.sha256(f.content).digest())
    return digest.hexdigest()


def detect_dialect(files: Iterable[SourceFile]) -> Dialect:
    """Choose the Spiff parser unless the files speak only Camunda's extensions."""
    texts = [f.content for f in files if f.kind == "bpmn"]
    if any(SPIFF_NS.encode() in t for t in texts):
        return "spiff"
    if any(CAMUNDA_NS.encode() in t for t in texts):
        return "camunda"
    return "spiff"


@dataclass
class Bundle:
    """A parsed, validated set of files and what the runtime needs to know of it."""

    dialect: Dialect
    files: list[SourceFile]
    parser: BpmnDmnParser
    lines: dict[str, dict[str, int]] = field(default_factory=dict)
    camunda_attributes: dict[str, dict[str, str]] = field(default_factory=dict)

    def process_ids(self) -> list[str]:
        return sorted(self.parser.get_process_ids())

    def process_file(self, process_id: str) -> str:
        return str(self.parser.get_process_parser(process_id).filename or "")

    def spec(self, process_id: str) -> Any:
        return self.parser.get_spec(process_id)

    def subprocess_specs(self, process_id: str) -> dict[str, Any]:
        return dict(self.parser.get_subprocess_specs(process_id))

    def line_of(self, file: str, element_id: str) -> int | None:
        return self.lines.get(file, {}).get(element_id)

    def form(self, name: str) -> bytes | None:
        for f in self.files:
            if f.name == name:
                return f.content
        return None

    def problem_from(self, exc: Exception, default_file: str = "") -> ModelProblem:
        """Describe a parser error; add its element's line when Spiff gives none."""
        problem = _problem_from(exc, default_file)
        if problem.element_id and not problem.line:
            line = self.line_of(problem.file, problem.element_id)
            problem = replace(problem, line=line)
        return problem


def _problem_from(exc: Exception, default_file: str = "") -> ModelProblem:
    if isinstance(exc, ValidationException):
        line = exc.line_number if isinstance(exc.line_number, int) else None
        return ModelProblem(
            file=exc.file_name or default_file,
            line=line,
            element_id=getattr(exc, "id", "") or "",
            message=str(exc.args[0]) if exc.args else str(exc),
        )
    if isinstance(exc, etree.XMLSyntaxError):
        return ModelProblem(
            file=default_file, line=exc.lineno, message=f"malformed XML: {exc.msg}"
        )
    return ModelProblem(file=default_file, message=str(exc))


_ID_ATTRIBUTE = re.compile(r'(?<![\w:.-])id="([^"]+)"')


def _element_at(f: SourceFile, line: int | None, root: etree._Element | None) -> str:
    """Return the id of the element a problem on ``line`` belongs to.

    XSD errors name a line but no element: take the element starting on that line,
    or its nearest ancestor with an id. Malformed XML has no tree: take the last id
    written at or before that line.
    """
    if not line:
        return ""
    if root is not None:
        for node in root.iter():
            if isinstance(node.tag, str) and node.sourceline == line:
                while node is not None and not node.get("id"):
                    node = node.getparent()
                return "" if node is None else str(node.get("id"))
        return ""
    lines = f.content.decode("utf-8", "replace").splitlines()[:line]
    for text in reversed(lines):
        ids = _ID_ATTRIBUTE.findall(text)
        if ids:
            return str(ids[-1])
    return ""


def _new_parser(dialect: Dialect, schema_check: bool) -> BpmnDmnParser:
    if dialect == "camunda":
        return CamundaParser(validator=BpmnValidator() if schema_check else None)
    return SpiffBpmnParser(validator=VALIDATOR if schema_check else None)


def _read_xml(f: SourceFile) -> etree._Element:
    return etree.fromstring(f.content, parser=_XML_PARSER)


def _camunda_attributes(root: etree._Element) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for node in root.iter(f"{{{BPMN_NS}}}userTask"):
        attrs = {
            name: node.get(f"{{{CAMUNDA_NS}}}{name}")
            for name in CAMUNDA_TASK_ATTRIBUTES
        }
        kept = {k: v for k, v in attrs.items() if v}
        if kept:
            found[node.get("id", "")] = kept
    return found


def parse_bundle(
    files: Sequence[SourceFile],
    dialect: Dialect | None = None,
    *,
    schema_check: bool = True,
) -> Bundle:
    """Parse BPMN and DMN files; raise ModelInvalidError naming file, line, element.

    ``schema_check`` validates against the BPMN 2.0 XSD. Deploy always does unless an
    administrator explicitly imports a non-conforming file; re-parsing an already
    deployed version skips it.
    """
    dialect = dialect or detect_dialect(files)
    parser = _new_parser(dialect, schema_check)
    bundle = Bundle(dialect=dialect, files=list(files), parser=parser)
    problems: list[ModelProblem] = []
    for f in files:
        if f.kind not in {"bpmn", "dmn", "json"}:
            problems.append(ModelProblem(f.name, "only .bpmn, .dmn and .json files"))
            continue
        if f.kind == "json":
            continue
        root = None
        try:
            root = _read_xml(f)
            bundle.lines[f.name] = {
                el.get("id"): el.sourceline
                for el in root.iter()
                if isinstance(el.tag, str) and el.get("id")
            }
            if f.kind == "dmn":
                parser.add_dmn_xml(root, filename=f.name)
            else:
                parser.add_bpmn_xml(root, filename=f.name)
                bundle.camunda_attributes.update(_camunda_attributes(root))
        except (SpiffWorkflowException, etree.XMLSyntaxError) as exc:
            problem = bundle.problem_from(exc, f.name)
            if not problem.element_id:
                element = _element_at(f, problem.line, root)
                problem = replace(problem, element_id=element)
            problems.append(problem)
    if problems:
        raise ModelInvalidError(problems)
    return bundle


def called_elements(files: Iterable[SourceFile]) -> dict[str, tuple[str, str, int]]:
    """Map each called process id to (file, call activity id, line) that calls it."""
    calls: dict[str, tuple[str, str, int]] = {}
    for f in files:
        if f.kind != "bpmn":
            continue
        try:
            root = _read_xml(f)
        except etree.XMLSyntaxError:
            continue
        for node in root.iter(f"{{{BPMN_NS}}}callActivity"):
            called = node.get("calledElement")
            if called:
                calls.setdefault(called, (f.name, node.get("id", ""), node.sourceline))
    return calls


def defined_processes(files: Iterable[SourceFile]) -> dict[str, str]:
    """Map each process id declared in the BPMN files to its file name."""
    found: dict[str, str] = {}
    for f in files:
        if f.kind != "bpmn":
            continue
        try:
            root = _read_xml(f)
        except etree.XMLSyntaxError:
            continue
        for node in root.iter(f"{{{BPMN_NS}}}process"):
            found[node.get("id", "")] = f.name
    return found
