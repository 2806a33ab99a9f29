"""Every file of a generated project read as its format's own parser would: Python, TOML, YAML, JSON."""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path

import yaml


def assert_files_parse(project: Path) -> None:
    for path in sorted(project.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            ast.parse(text, filename=str(path))
        elif path.suffix == ".toml":
            tomllib.loads(text)
        elif path.suffix in {".yaml", ".yml"}:
            list(yaml.safe_load_all(text))
        elif path.suffix == ".json":
            json.loads(text)
