"""Property: any text given to a free-text question is refused before anything is written, or makes a project
whose Python compiles, whose TOML, YAML and JSON parse, and whose metadata packaging accepts."""

from __future__ import annotations

import json
import shutil
import tempfile
import tomllib
from email.headerregistry import Address
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.metadata import Metadata, RawMetadata
from pybackend.cli import cli
from pybackend.data_file import read_data_file
from pybackend.errors import ExitCode
from support.parsing import assert_files_parse

FREE_TEXT = ["project_name", "package_name", "description", "author_name", "author_email"]
# Characters that broke projects before, mixed into arbitrary text (surrogates included) so examples find them.
_EDGES = [
    "\n",
    "\r",
    "\x00",
    "\x7f",
    "\x85",
    "\u2028",
    "\ud83d",
    "\ude80",
    "🚀",
    "é",
    '"',
    "'",
    "\\",
    "{{",
    "{%",
    "#",
    ":",
    "@",
    ",",
    "<",
    ">",
    ".",
    "-",
    "_",
    "a",
    "x",
    " ",
    "\t",
    "${",
    "\ufeff",
    "\uffff",
]
_TEXT = st.lists(
    st.one_of(st.sampled_from(_EDGES), st.text(st.characters(exclude_categories=()), max_size=8)), max_size=12
).map("".join)
_CHANNELS = ["flag", "json", "yaml"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=st.sampled_from(FREE_TEXT), text=_TEXT, channel=st.sampled_from(_CHANNELS))
def test_free_text_is_refused_or_makes_a_sound_project(question: str, text: str, channel: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        _check(Path(scratch), question, text, channel)


def _check(scratch: Path, question: str, text: str, channel: str) -> None:
    out = scratch / "out"
    argv = ["new", "-y", "--no-git", "--no-lock", "--output-dir", str(out)]
    if question != "project_name":
        argv.append("svc")
    data = scratch / f"answers.{channel}"
    if channel == "flag":
        # After `--`, a name that starts with '-' is still the name, as a user's shell would pass it.
        argv += ["--", text] if question == "project_name" else [f"--{question.replace('_', '-')}", text]
    else:
        if channel == "json":
            data.write_text(json.dumps({question: text}), encoding="utf-8")
        else:
            try:
                data.write_text(yaml.safe_dump({question: text}, allow_unicode=True), encoding="utf-8")
            except (UnicodeEncodeError, yaml.YAMLError):
                return  # YAML cannot carry this text at all; the JSON channel covers it
        argv += ["--data-file", str(data)]
    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    assert result.exit_code in {0, ExitCode.INVALID_ANSWERS}, result.output
    if result.exit_code == ExitCode.INVALID_ANSWERS:
        assert not out.exists(), "a refusal writes nothing"
        assert len(result.output) < 2000
        return
    (project,) = out.iterdir()
    _assert_sound(project)
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert recorded[question] == (read_data_file(data)[question] if channel != "flag" else text)
    shutil.rmtree(out)


def _assert_sound(project: Path) -> None:
    assert_files_parse(project)
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (author,) = meta["authors"]
    # hatchling writes the Author-email header from this class, then packaging checks the whole metadata.
    raw: RawMetadata = {
        "metadata_version": "2.4",
        "name": meta["name"],
        "version": meta["version"],
        "summary": meta["description"],
        "author_email": str(Address(display_name=author["name"], addr_spec=author["email"])),
        "requires_python": meta["requires-python"],
        "requires_dist": meta["dependencies"],
    }
    Metadata.from_raw(raw, validate=True)


@pytest.mark.parametrize("question", FREE_TEXT)
def test_the_property_reaches_projects_for_every_question(question: str, tmp_path: Path) -> None:
    """The property is not vacuous: a plain value of each question gives a project that passes its checks.

    Hypothesis seldom finds an accepted project or package name or e-mail address at random, so they are here.
    """
    plain = {
        "project_name": "svc",
        "package_name": "svc_core",
        "description": 'Orders 🚀 "API" \\ {{ x }}',
        "author_name": "Zoë O'Brien, Ops <ops>",
        "author_email": "dev+ops@example.co.uk",
    }[question]
    _check(tmp_path, question, plain, "json")
    assert not (tmp_path / "out").exists()
