"""Additions to the generated OpenAPI schema."""

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
        "import": {"type": "integer"},
        "open_case": {
            "type": "string",
            "format": "uri",
            "description": "A signal refused because the household already has an open case: that case, "
            "only when the token's organisation may read it",
        },
    },
    "required": ["type", "title", "status", "detail"],
}
ERRORS = {
    "400": "Invalid request: see errors",
    "401": "No valid API token",
    "403": "The token may not do this",
    "404": "Not found, or not visible to the token's organisation",
    "405": "Method not allowed",
    "406": "Not acceptable",
    "415": "Unsupported media type",
    "429": "Rate limit reached",
    "503": "The database is temporarily unavailable; nothing was changed. Retry later (see Retry-After)",
}
WRITE_ERRORS = {
    "409": "Conflict: the case changed after the version you sent; nothing was changed",
    "422": "This Idempotency-Key was used for a different request",
}


def add_problem_responses(result, generator, request, public):
    """Every operation may answer with a problem: say so, so clients (and schemathesis) know the shape."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            responses = operation.setdefault("responses", {})
            errors = {**ERRORS, **WRITE_ERRORS} if method == "post" else ERRORS
            for code, description in errors.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
                    },
                )
    return result
