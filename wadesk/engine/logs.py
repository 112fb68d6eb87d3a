"""Logging set-up: a rotating file in the user log dir, optional stderr, and redaction of
secrets (known secrets registered at run time, plus anything shaped like a Meta access token).
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from pathlib import Path

_TOKEN_RE = re.compile(r"EAA[A-Za-z0-9]{20,}")
_REDACTED = "[redacted]"
LOG_FILE_NAME = "wadesk.log"


class SecretRedactor:
    """Replaces known secrets and token-shaped strings in text.

    Secrets are registered as they are read from the keyring or the environment; secrets
    shorter than 6 characters are not registered (they would redact ordinary words).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._secrets: frozenset[str] = frozenset()
        self._pattern: re.Pattern[str] | None = None

    def add(self, secret: str | None) -> None:
        if not secret or len(secret) < 6:
            return
        with self._lock:
            if secret in self._secrets:
                return
            self._secrets = self._secrets | {secret}
            alts = sorted(self._secrets, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(s) for s in alts))

    def redact(self, text: str) -> str:
        pattern = self._pattern
        if pattern is not None:
            text = pattern.sub(_REDACTED, text)
        return _TOKEN_RE.sub(_REDACTED, text)


class RedactingFormatter(logging.Formatter):
    def __init__(self, redactor: SecretRedactor, fmt: str | None = None) -> None:
        super().__init__(fmt or "%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self._redactor.redact(super().format(record))


def configure_logging(
    redactor: SecretRedactor,
    log_dir: Path | None,
    *,
    stderr: bool,
    level: int = logging.INFO,
) -> Path | None:
    """Install handlers on the `wadesk` logger; returns the log file path (or None)."""
    logger = logging.getLogger("wadesk")
    logger.setLevel(level)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.propagate = False
    formatter = RedactingFormatter(redactor)
    path: Path | None = None
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / LOG_FILE_NAME
        file_handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
        file_handler.setFormatter(formatter)
        logger.addHandler(file_handler)
    if stderr:
        stream_handler = logging.StreamHandler(sys.stderr)
        stream_handler.setFormatter(formatter)
        logger.addHandler(stream_handler)
    return path
