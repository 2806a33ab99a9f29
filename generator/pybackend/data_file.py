"""Answers given as a file: YAML or JSON, the keys being question names.

The file is untrusted input: it is read only up to a size no answers file comes near, must be UTF-8 text holding
one mapping, and every refusal is a short message, whatever the file holds (a YAML alias bomb expands to a
structure far too large to print).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pybackend.answers import shown
from pybackend.errors import InvalidAnswersError

MAX_BYTES = 1024 * 1024


def read_data_file(path: Path) -> dict[str, Any]:
    """Read a mapping of answers; Copier's own keys (`_src_path`, `_commit`...) are skipped so answers files replay."""
    data = read_mapping(path)
    return {key: value for key, value in data.items() if not key.startswith("_")}


def read_mapping(path: Path) -> dict[str, Any]:
    """A YAML or JSON file holding one mapping with text keys, or `InvalidAnswersError` saying why not."""
    text = _read_text(path)
    try:
        # JSON first: YAML would leave an escaped emoji as two lone surrogates.
        data = json.loads(text, object_pairs_hook=lambda pairs: _unique(path, pairs))
    except ValueError:
        data = _load_yaml(path, text)
    except RecursionError:
        raise InvalidAnswersError([f"cannot read {path}: it is nested too deeply"]) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidAnswersError([f"{path} must hold a mapping of question names to answers"])
    if not all(isinstance(key, str) for key in data):
        raise InvalidAnswersError([f"{path}: every key must be a question name (text)"])
    return {key: _joined_surrogates(value) for key, value in data.items()}


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise InvalidAnswersError([f"cannot read {path}: {error.strerror or error}"]) from None
    if len(raw) > MAX_BYTES:
        raise InvalidAnswersError([f"{path} is larger than {MAX_BYTES // 1024} KiB; an answers file is far smaller"])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidAnswersError([f"{path} is not UTF-8 text (byte {error.start} cannot be decoded)"]) from None


def _unique(path: Path, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refused when it names a key twice: json and YAML loaders silently keep the last."""
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise InvalidAnswersError([f"{path}: '{shown(key)}' is given more than once; give each answer once"])
        mapping[key] = value
    return mapping


def _load_yaml(path: Path, text: str) -> Any:
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _StrictLoader(base):  # type: ignore[valid-type, misc]
        """The safe loader, refusing a mapping that names a key twice."""

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # `<<: *base` takes keys that the mapping's own may override
                key = self.construct_object(key_node, deep=deep)
                if not isinstance(key, str | int | float | bool):
                    continue  # a list or mapping as a key: refused once the mapping is read
                if key in seen:
                    line = key_node.start_mark.line + 1
                    raise InvalidAnswersError(
                        [f"{path}: '{shown(key)}' is given more than once (line {line}); give each answer once"]
                    )
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506
    except RecursionError:
        raise InvalidAnswersError([f"cannot read {path}: it is nested too deeply"]) from None
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "it is not valid YAML or JSON"
        at = f" (line {where.line + 1}, column {where.column + 1})" if where else ""
        raise InvalidAnswersError([f"cannot read {path}: {problem}{at}"]) from None


def _joined_surrogates(value: Any) -> Any:
    """YAML's "\\ud83d\\ude80" is two lone surrogates; as one character they are the emoji the writer meant."""
    if not isinstance(value, str):
        return value
    try:
        return value.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        return value  # a lone surrogate stays, for the question's validator to refuse
