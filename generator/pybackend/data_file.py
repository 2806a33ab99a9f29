"""Answers given as a file: YAML or JSON, the keys being question names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pybackend.errors import InvalidAnswersError


def read_data_file(path: Path) -> dict[str, Any]:
    """Read a mapping of answers; Copier's own keys (`_src_path`, `_commit`...) are skipped so answers files replay."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise InvalidAnswersError([f"cannot read {path}: {error}"]) from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidAnswersError([f"{path} must hold a mapping of question names to answers"])
    return {str(key): value for key, value in data.items() if not str(key).startswith("_")}
