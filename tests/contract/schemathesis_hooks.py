"""Schemathesis hooks for the contract run: generated requests stay within what an HTTP server parses.

gunicorn (Flask, Django, Pyramid) refuses a request line longer than 4094 bytes with its own 414 page before the
application sees it, as a proxy in front of any of the services would. Negative fuzzing can repeat a query
parameter a hundred times, which only tests the server's parser: such cases are not sent.
`test_limits.test_oversized_request_line_is_refused_cleanly` checks what the service does with them instead.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import schemathesis

# Well under gunicorn's 4094 bytes, leaving room for the method, the path and the protocol.
MAX_ENCODED_BYTES = 3000


def _fits(values: dict[str, Any] | None) -> bool:
    return values is None or len(quote(str(values))) <= MAX_ENCODED_BYTES


@schemathesis.hook
def filter_query(context: Any, query: dict[str, Any] | None) -> bool:
    return _fits(query)


@schemathesis.hook
def filter_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> bool:
    return _fits(path_parameters)
