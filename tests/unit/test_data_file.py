"""--data-file is untrusted input: whatever it holds, the answer is a project or a short refusal (exit 3)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from pybackend.cli import cli
from pybackend.data_file import MAX_BYTES
from pybackend.errors import ExitCode


def _new_from(tmp_path: Path, content: bytes, suffix: str = ".yml", *args: str) -> Result:
    data = tmp_path / f"answers{suffix}"
    data.write_bytes(content)
    out = tmp_path / "out"
    argv = ["new", "svc", "-y", "--no-git", "--no-lock", "--output-dir", str(out), "--data-file", str(data), *args]
    return CliRunner().invoke(cli, argv, catch_exceptions=False)


def _refused(tmp_path: Path, result: Result, reason: str) -> None:
    assert result.exit_code == ExitCode.INVALID_ANSWERS, result.output
    assert reason in result.output
    assert "Traceback" not in result.output
    assert len(result.output) < 400
    assert not (tmp_path / "out").exists()


def test_a_json_file_with_an_escaped_emoji_gives_the_emoji(tmp_path: Path) -> None:
    result = _new_from(tmp_path, b'{"description": "Rockets \\ud83d\\ude80"}', ".json")
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load((tmp_path / "out" / "svc" / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["description"] == "Rockets 🚀"


def test_a_yaml_file_with_an_emoji_gives_the_emoji(tmp_path: Path) -> None:
    result = _new_from(tmp_path, 'description: "Rockets 🚀"\n'.encode())
    assert result.exit_code == 0, result.output
    assert "Rockets 🚀" in (tmp_path / "out" / "svc" / "pyproject.toml").read_text(encoding="utf-8")


def test_a_lone_escaped_surrogate_is_refused(tmp_path: Path) -> None:
    _refused(tmp_path, _new_from(tmp_path, b'{"description": "half \\ud83d"}', ".json"), "printable text")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("description: café\n".encode("utf-16"), "is not UTF-8 text"),
        (b"description: caf\xe9\n", "is not UTF-8 text"),
        (bytes(range(256)), "is not UTF-8 text"),
        (b"description: a\x00b\n", "cannot read"),
        (b"- sqlite\n", "must hold a mapping"),
        (b'"just text"', "must hold a mapping"),
        (b"{1: x}\n", "every key must be a question name"),
        (b"description: [unclosed\n", "cannot read"),
        (b"[" * 100_000, "cannot read"),
    ],
)
def test_files_that_are_not_a_text_mapping_are_refused_in_a_short_message(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    _refused(tmp_path, _new_from(tmp_path, content), reason)


def test_a_file_larger_than_the_cap_is_refused_unread(tmp_path: Path) -> None:
    content = b"description: " + b"x" * MAX_BYTES + b"\n"
    _refused(tmp_path, _new_from(tmp_path, content), "larger than 1024 KiB")


def test_a_yaml_alias_bomb_is_refused_quickly_in_a_short_message(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    lines += ["description: *a9"]
    started = time.monotonic()
    result = _new_from(tmp_path, "\n".join(lines).encode())
    assert time.monotonic() - started < 10
    _refused(tmp_path, result, "description: expected text, got a list")


def test_answers_that_are_lists_or_mappings_are_named_not_printed(tmp_path: Path) -> None:
    content = json.dumps({"description": {"nested": ["x"] * 10_000}, "celery": ["yes"]}).encode()
    result = _new_from(tmp_path, content, ".json")
    _refused(tmp_path, result, "description: expected text, got a mapping")
    assert "celery: expected yes or no, got a list" in result.output


@pytest.mark.parametrize(
    ("content", "suffix", "reason"),
    [
        (b"framework: fastapi\ndatabase: sqlite\nframework: flask\n", ".yml", "'framework' is given more than once"),
        (b"{framework: fastapi, framework: flask}\n", ".yml", "'framework' is given more than once"),
        (b'{"framework": "fastapi", "framework": "flask"}', ".json", "'framework' is given more than once"),
    ],
)
def test_a_key_given_twice_is_refused_naming_it(tmp_path: Path, content: bytes, suffix: str, reason: str) -> None:
    _refused(tmp_path, _new_from(tmp_path, content, suffix), reason)


def test_a_yaml_merge_key_overridden_once_is_not_a_duplicate(tmp_path: Path) -> None:
    content = b"base: &base {description: From the base}\n<<: *base\ndescription: Mine\n"
    result = _new_from(tmp_path, content)
    # `base` itself is no question: the file is read, and only that unknown name is refused.
    assert result.exit_code == ExitCode.INVALID_ANSWERS, result.output
    assert "unknown question 'base'" in result.output
    assert "more than once" not in result.output
