"""A throwaway Copier template in its own git repository, whose `v*` tags are its releases.

Each update scenario builds one, cuts release v1, generates a project from it with `PYBACKEND_TEMPLATE`, then
changes the template the way a maintainer would (edit, delete or rename a file, add a migration) and cuts v2:

    template = TemplateRepo.create(tmp_path / "template")
    template.release("v1")
    ...  # pybackend new
    template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    template.release("v2")

Paths given to `write`, `remove` and friends are inside the template's subdirectory (`t/`), so they are the paths
the generated project has. A name without the `.jinja` suffix is copied verbatim; Jinja in a *name* still renders,
which is how an optional feature is a whole file: `{% if celery %}worker.py{% endif %}`.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import yaml
from support.release import git

SUBDIRECTORY = "t"

# The questions pybackend needs (project_name, package_name, author_*, framework, orm) and the features the scenarios
# turn on and off. `kubernetes` is refused without `docker`, so a validator rejection can be tested.
QUESTIONS: dict[str, dict[str, Any]] = {
    "project_name": {"type": "str", "help": "Project name"},
    "package_name": {"type": "str", "help": "Import name", "default": "{{ project_name | replace('-', '_') }}"},
    "author_name": {"type": "str", "help": "Author", "default": "Test Author"},
    "author_email": {"type": "str", "help": "Author e-mail", "default": "author@example.com"},
    "framework": {"type": "str", "help": "Web framework", "default": "fastapi", "choices": ["fastapi", "flask"]},
    "orm": {"type": "str", "help": "ORM", "default": "sqlalchemy", "choices": ["sqlalchemy", "sqlmodel"]},
    "celery": {"type": "bool", "help": "Celery worker", "default": False},
    "docker": {"type": "bool", "help": "Dockerfile", "default": False},
    "kubernetes": {
        "type": "bool",
        "help": "Kubernetes manifest",
        "default": False,
        "validator": "{% if kubernetes and not docker %}kubernetes needs docker{% endif %}",
    },
}

SETTINGS: dict[str, Any] = {
    "_subdirectory": SUBDIRECTORY,
    "_answers_file": ".copier-answers.yml",
    "_envops": {"undefined": "jinja2.StrictUndefined", "keep_trailing_newline": True},
}

# Release v1's files, as the project has them.
MAIN_PY = '''\
"""The service's entry point."""

GREETING = "hello"


def greet(name: str) -> str:
    return f"{GREETING}, {name}"


def shout(name: str) -> str:
    return greet(name).upper()


def main() -> None:
    print(greet("world"))
'''

STARTER_FILES: dict[str, str] = {
    "README.md.jinja": "# {{ project_name }}\n\nA throwaway service for update tests.\n",
    ".gitignore": ".env\n",
    ".env.example": "TIMEOUT=30\n",
    "app/__init__.py": "",
    "app/main.py": MAIN_PY,
    "app/config.py": "TIMEOUT = 30\nRETRIES = 3\n",
    "app/routes.py": 'ROUTES = ["/health"]\n',
    "legacy.py": "LEGACY = True\n",
    "{% if celery %}worker.py{% endif %}": "BROKER = 'redis://localhost'\n",
    "{% if docker %}Dockerfile{% endif %}": "FROM python:3.12-slim\n",
    "{% if kubernetes %}deploy.yaml{% endif %}": "kind: Deployment\n",
    "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers|to_nice_yaml }}",
}


class TemplateRepo:
    """A template repository on disk; every change is committed and tagged by `release`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.questions: dict[str, dict[str, Any]] = copy.deepcopy(QUESTIONS)
        self.migrations: list[dict[str, Any]] = []

    @classmethod
    def create(cls, path: Path, files: dict[str, str] | None = None) -> TemplateRepo:
        """A new repository holding the starter template (or `files`), with no release yet."""
        path.mkdir(parents=True)
        git("init", "--quiet", cwd=path)
        template = cls(path)
        for name, text in (STARTER_FILES if files is None else files).items():
            template.write(name, text)
        template._write_copier_yml()
        return template

    # What a maintainer does between releases.

    def write(self, name: str, text: str) -> None:
        target = self._file(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def read(self, name: str) -> str:
        return self._file(name).read_text(encoding="utf-8")

    def replace(self, name: str, old: str, new: str) -> None:
        """Change one passage of a file; `old` must be there, so a typo fails the test instead of doing nothing."""
        text = self.read(name)
        assert old in text, f"{old!r} is not in the template's {name}"
        self.write(name, text.replace(old, new, 1))

    def remove(self, name: str) -> None:
        self._file(name).unlink()

    def rename(self, old: str, new: str) -> None:
        target = self._file(new)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(self._file(old), target)

    def question(self, name: str, **spec: Any) -> None:
        """Add a question, or change some of an existing question's settings."""
        self.questions.setdefault(name, {}).update(spec)

    def migration(self, version: str, command: list[str]) -> None:
        """A Copier `_migrations` entry, run after an update that crosses `version`."""
        self.migrations.append({"version": version, "command": command})

    def release(self, tag: str) -> None:
        """Commit everything and tag it `tag`, as cutting a release does."""
        self._write_copier_yml()
        git("add", "--all", cwd=self.path)
        git("commit", "--quiet", "--allow-empty", "-m", f"release {tag}", cwd=self.path)
        git("tag", tag, cwd=self.path)

    def _write_copier_yml(self) -> None:
        config: dict[str, Any] = {**SETTINGS}
        if self.migrations:
            config["_migrations"] = self.migrations
        config.update(self.questions)
        text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000)
        (self.path / "copier.yml").write_text(text, encoding="utf-8")

    def _file(self, name: str) -> Path:
        return self.path / SUBDIRECTORY / name
