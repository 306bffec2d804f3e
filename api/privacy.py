"""Requests whose sender must stay unknown: whistleblowing. The access log (which records the
client's address) skips them; nothing else in the service logs an address or user agent."""

from __future__ import annotations

import logging
from dataclasses import dataclass

QUIET_PREFIXES = ("/api/v1/wbs/", "/public/wbs")
ACCESS_LOGGER = "uvicorn.access"


class QuietPaths(logging.Filter):
    """Drops uvicorn access-log records for the quiet paths (args: client, method, path...)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        path = str(args[2]) if len(args) > 2 else ""
        return not path.startswith(QUIET_PREFIXES)


@dataclass
class Installed:
    logger: logging.Logger
    installed: QuietPaths

    def remove(self) -> None:
        self.logger.removeFilter(self.installed)


def quiet_access_log() -> Installed:
    """One filter per running app, removed when the app stops."""
    logger = logging.getLogger(ACCESS_LOGGER)
    installed = QuietPaths()
    logger.addFilter(installed)
    return Installed(logger, installed)
