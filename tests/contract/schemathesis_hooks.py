"""Schemathesis hooks for the contract run: generated requests stay within what an HTTP server parses.

A proxy in front of any of the services refuses a request line past a few KiB before the application sees it
(nginx's default buffer is 8 KiB, and servers such as gunicorn stop at 4094 bytes). Negative fuzzing can repeat a
query parameter a hundred times, which only tests the server's parser: such cases are not sent.
`test_limits.test_oversized_request_line_is_refused_cleanly` checks what the service does with them instead.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import schemathesis

# Well under the smallest common request-line limit (4094 bytes), leaving room for the method, path and protocol.
MAX_ENCODED_BYTES = 3000


def _fits(values: dict[str, Any] | None) -> bool:
    return values is None or len(quote(str(values))) <= MAX_ENCODED_BYTES


@schemathesis.hook
def filter_query(context: Any, query: dict[str, Any] | None) -> bool:
    return _fits(query)


@schemathesis.hook
def filter_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> bool:
    return _fits(path_parameters)
