"""gunicorn, configured from the settings rather than from its command line or a config file.

One process with a pool of threads (gunicorn's `gthread` worker): the framework and its libraries
block, and a thread per request in flight lets a slow one (a password hash, a slow database) wait
without holding up the others, in one process's memory (about 85 MiB). More processes come from
more replicas, so what the service counts in memory (metrics, sign-in attempts) stays exact.

On SIGTERM or SIGINT gunicorn stops accepting connections and lets requests in flight finish, for
GRACEFUL_SHUTDOWN_SECONDS at most. A request line over 4094 bytes is refused with gunicorn's own 414
before the app sees it, as a proxy in front would.
"""

import logging
from collections.abc import Callable
from wsgiref.types import WSGIApplication

from gunicorn.app.base import BaseApplication
from gunicorn.config import Config
from gunicorn.glogging import Logger

from .settings import Settings

GRACEFUL_SHUTDOWN_SECONDS = 20
WORKERS = 1
THREADS = 8


class ServerLogger(Logger):
    """gunicorn's own messages go through the service's logging; the app writes the access lines."""

    def setup(self, cfg: Config) -> None:  # noqa: ARG002 - nothing of gunicorn's log settings is used
        self.error_log.handlers.clear()
        self.error_log.propagate = True
        self.error_log.setLevel(logging.NOTSET)
        self.access_log.disabled = True


class Server(BaseApplication):
    """Serves the app that `load_app` builds, which gunicorn calls in its worker process: nothing of
    the app (pools, clients) is created before the fork."""

    def __init__(self, settings: Settings, load_app: Callable[[], WSGIApplication]) -> None:
        self.settings = settings
        self.load_app = load_app
        super().__init__()

    def load_config(self) -> None:
        options = {
            "bind": f"{self.settings.host}:{self.settings.port}",
            "workers": WORKERS,
            "worker_class": "gthread",
            "threads": THREADS,
            "graceful_timeout": GRACEFUL_SHUTDOWN_SECONDS,
            "logger_class": ServerLogger,
            # The app reads X-Forwarded-* itself, trusting FORWARDED_ALLOW_IPS alone.
            "forwarded_allow_ips": "",
            "secure_scheme_headers": {},
            # Stopped by signals, not through a control socket in $HOME, which a read-only root file
            # system cannot even hold.
            "control_socket_disable": True,
        }
        for name, value in options.items():
            self.cfg.set(name, value)

    def load(self) -> WSGIApplication:  # type: ignore[override] # the stubs' environ is looser than WSGI's
        return self.load_app()
