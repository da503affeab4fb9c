"""Optional error reporting to Sentry (``SENTRY_DSN``): no personal data, the logs' redaction."""
from __future__ import annotations

from typing import Any

from monitoring.redact import redact_value


def scrub(event: dict[str, Any], _hint: Any = None) -> dict[str, Any]:
    """Run every value of the event through the same redaction as the logs, before it leaves."""
    return redact_value("", event)  # type: ignore[no-any-return]


def init(dsn: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=dsn, send_default_pii=False, integrations=[FlaskIntegration()], traces_sample_rate=0.0,
        before_send=scrub,  # type: ignore[arg-type]
        before_send_transaction=scrub,  # type: ignore[arg-type]
    )
