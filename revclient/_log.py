"""``REVCLIENT_LOG=debug|info``: revclient's log lines on stderr, like ``OPENAI_LOG``.

Read once, when ``revclient`` is imported. Without the variable revclient only logs to
the ``revclient`` logger and leaves handlers to the application. Nothing revclient logs
carries a key or a token: lines name the method, the URL (keys travel in headers, which
are never logged), the status, the attempt and the timings.
"""

from __future__ import annotations

import logging
import os

__all__ = ["configure_from_env"]

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}


def configure_from_env() -> None:
    """Attach a stderr handler to the ``revclient`` logger when ``REVCLIENT_LOG`` asks."""
    value = os.environ.get("REVCLIENT_LOG", "").strip().lower()
    level = _LEVELS.get(value)
    if level is None:
        if value:
            logging.getLogger("revclient").warning(
                "REVCLIENT_LOG=%r is not one of debug, info; ignored", value
            )
        return
    logger = logging.getLogger("revclient")
    if not any(getattr(h, "_revclient_env", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        handler._revclient_env = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(level)
