"""No leftovers: a project holds no code, dependency, setting, comment or README text of an option that is off.

Each stack switches some options off; every file of the rendered project is scanned for the words that belong
to each of those options, and a failure names the file, the line and the word.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pybackend.answers import resolve_answers
from pybackend.generate import Options, generate
from pybackend.questions import load_questions
from pybackend.source import template_source

pytestmark = pytest.mark.render

REPO_ROOT = Path(__file__).resolve().parents[2]
_QUESTIONS = load_questions(REPO_ROOT / "copier.yml")

Answers = dict[str, Any]


@dataclass(frozen=True)
class Option:
    """The words that betray an option, and when it counts as off."""

    is_off: Callable[[Answers], bool]
    words: tuple[str, ...]
    # Phrases that hold one of the words but belong to something else (a tool's own cache, say).
    unrelated: tuple[str, ...] = ()


# Words match whole (letters, digits and '_' do not continue them), in any case.
OPTIONS: dict[str, Option] = {
    "postgresql": Option(lambda a: a["database"] != "postgresql", ("postgres", "postgresql", "psycopg", "asyncpg")),
    "mysql": Option(lambda a: a["database"] != "mysql", ("mysql", "mariadb", "aiomysql", "pymysql")),
    "database": Option(
        lambda a: a["database"] == "none", ("alembic", "sqlalchemy", "database_url", "migration", "migrations")
    ),
    # Not "password", "token" or "access_token": every service keeps such values out of its logs (CONTRACT.md,
    # "Logs"), auth or not, so the log redaction and its tests name them in every project.
    "auth": Option(
        lambda a: a["auth"] == "none",
        ("jwt", "pyjwt", "argon2", "pwdlib", "zxcvbn", "users/me", "auth/token", "auth/register"),
    ),
    "celery": Option(
        lambda a: not a["celery"],
        ("celery", "worker", "workers", "beat", "broker", "heartbeat_dir"),
        # uvicorn's own name for its serving processes (WEB_CONCURRENCY).
        unrelated=("workers=settings.web_concurrency", 'call["workers"]'),
    ),
    "cache": Option(
        lambda a: not a["cache"],
        ("cache", "cached", "caches", "cache_ttl", "cache_ttl_seconds"),
        # Other caches than the item cache: uv's downloads (in the image build and in CI), HTTP's
        # Cache-Control, and functools' memoisation.
        unrelated=("--mount=type=cache", "/root/.cache/uv", "enable-cache", "Cache-Control", "import cache", "@cache"),
    ),
    "redis": Option(lambda a: not (a["celery"] or a["cache"]), ("redis", "redis_url", "test_redis_url", "fakeredis")),
    "rabbitmq": Option(
        lambda a: not (a["celery"] and a["celery_broker"] == "rabbitmq"), ("rabbitmq", "rabbitmq_url", "amqp")
    ),
    "metrics": Option(lambda a: not a["metrics"], ("prometheus", "/metrics", "prometheus_client")),
    "docker": Option(lambda a: not a["docker"], ("docker", "compose", "dockerfile", "dockerignore")),
    "kubernetes": Option(lambda a: not a["kubernetes"], ("kubernetes", "k8s", "kustomize", "kubectl")),
    "ci": Option(lambda a: a["ci"] == "none", ("github actions", ".github", "continuous integration")),
    "api-fuzzing": Option(lambda a: "api-fuzzing" not in a["testing"], ("schemathesis", "hypothesis", "api_fuzzing")),
    "load": Option(lambda a: "load" not in a["testing"], ("locust", "load test", "load tests")),
}

# Together these switch every option off at least once, each database with the rest on, and the parts that
# share Redis (Celery, the cache) one without the other.
STACKS: dict[str, Answers] = {
    "bare": {
        "database": "none",
        "auth": "none",
        "celery": False,
        "cache": False,
        "metrics": False,
        "docker": False,
        "kubernetes": False,
        "ci": "github",
        "testing": [],
    },
    "defaults-without-ci": {"ci": "none"},
    "postgresql-full": {"database": "postgresql", "celery": True, "cache": True, "kubernetes": True},
    "mysql-full": {"database": "mysql", "celery": True, "cache": True, "kubernetes": True},
    "sqlite-full": {"database": "sqlite", "celery": True, "cache": True, "kubernetes": True},
    "postgresql-cache-only": {
        "database": "postgresql",
        "auth": "none",
        "cache": True,
        "metrics": False,
        "docker": True,
        "kubernetes": False,
    },
    # A database and no Redis: the README's test variables name only the database's.
    "mysql-alone": {"database": "mysql", "celery": False, "cache": False},
    "mysql-celery-only": {
        "database": "mysql",
        "auth": "none",
        "celery": True,
        "celery_broker": "rabbitmq",
        "cache": False,
        "metrics": False,
        "kubernetes": True,
    },
    "no-database-celery": {"database": "none", "auth": "none", "celery": True, "kubernetes": True},
}

# The answers file records every question by name, the options that are off included: that is its purpose.
_NOT_SCANNED = {".copier-answers.yml"}


def _cases() -> list[Any]:
    cases = []
    for stack_name, stack in STACKS.items():
        answers = _answers(stack_name, stack)
        cases += [
            pytest.param(stack_name, option, id=f"{stack_name}-{option}")
            for option, spec in OPTIONS.items()
            if spec.is_off(answers)
        ]
    return cases


def _answers(stack_name: str, stack: Answers) -> Answers:
    return resolve_answers(_QUESTIONS, {"project_name": f"left-{stack_name}", **stack}, use_defaults=True)


@pytest.fixture(scope="module")
def render(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Renders each stack once per test process."""
    projects: dict[str, Path] = {}

    def _render(stack_name: str) -> Path:
        if stack_name not in projects:
            answers = _answers(stack_name, STACKS[stack_name])
            target = tmp_path_factory.mktemp("leftovers") / answers["project_name"]
            generate(answers, target, template_source(), Options(git=False, lock=False))
            projects[stack_name] = target
        return projects[stack_name]

    return _render


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w]){'(?:' + alternatives + ')'}(?![\w])", re.IGNORECASE)


def find_leftovers(project: Path, option: Option) -> list[str]:
    """`path:line: word` for every word of the option found in the project."""
    pattern = _pattern(option.words)
    hits = []
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project).as_posix()
        if not path.is_file() or relative in _NOT_SCANNED:
            continue
        # Every line is scanned, the file's path included: a file named after the option is a leftover too.
        lines = [relative, *path.read_text(encoding="utf-8").splitlines()]
        for number, line in enumerate(lines):
            scanned = line
            for phrase in option.unrelated:
                scanned = scanned.replace(phrase, "")
            for match in pattern.finditer(scanned):
                where = f"{relative}:{number}" if number else f"{relative} (its path)"
                hits.append(f"{where}: {match.group(0)!r} in {line.strip()[:120]!r}")
    return hits


@pytest.mark.parametrize(("stack_name", "option"), _cases())
def test_an_option_that_is_off_leaves_no_trace(render: Callable[[str], Path], stack_name: str, option: str) -> None:
    hits = find_leftovers(render(stack_name), OPTIONS[option])
    assert not hits, f"{option} is off, yet the project mentions it:\n" + "\n".join(hits)


def test_the_scan_finds_a_word_and_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# svc\n\nStart the Celery worker:\n\nheartbeat and mycelery are fine\n")
    hits = find_leftovers(tmp_path, OPTIONS["celery"])
    assert [hit.split(": ")[0] for hit in hits] == ["README.md:3", "README.md:3"]
    assert "'Celery'" in hits[0] and "'worker'" in hits[1]


def test_every_option_has_words_and_is_off_in_some_stack() -> None:
    """A new on/off question needs its words here, and a stack that switches it off."""
    switches = {question.name for question in _QUESTIONS if question.type == "bool" and not question.hidden}
    assert switches <= set(OPTIONS)
    resolved = [_answers(name, stack) for name, stack in STACKS.items()]
    assert [option for option, spec in OPTIONS.items() if not any(spec.is_off(a) for a in resolved)] == []
