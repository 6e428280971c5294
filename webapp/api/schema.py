"""Schema post-processing: every operation documents the errors it may answer.

Views declare their own success and domain errors; this hook adds the errors any
operation can give in the one error shape (``Error``): 401 without credentials,
403, 404 for an unknown object or page, 400 for bad parameters or bodies, 429
when a rate limit applies (writes, public reads, credit checks).
"""

from __future__ import annotations

from typing import Any

ERROR_REF = {"$ref": "#/components/schemas/Error"}
METHODS = ("get", "post", "put", "patch", "delete")
WRITES = ("post", "put", "patch", "delete")
DESCRIPTIONS = {
    "400": "Invalid parameters or body; `fields` names each one at fault",
    "401": "No valid credentials",
    "403": "Not allowed",
    "404": "Not found, or not visible to you",
    "429": "Rate limit reached; see Retry-After",
}


def _error(code: str) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": ERROR_REF}},
    }


def _codes(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    public = "security" not in operation
    codes = ["404"]
    if not public:
        codes += ["401", "403"]
    if operation.get("parameters") or operation.get("requestBody"):
        codes.append("400")
    if method in WRITES or public or "credit-check" in path:
        codes.append("429")
    return codes


def postprocess_schema(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Add the shared error responses to every operation that lacks them."""
    for path, item in result.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for code in _codes(path, method, operation):
                responses.setdefault(code, _error(code))
    return result
