"""OpenTelemetry spans and metrics, when ``opentelemetry-api`` is installed and configured.

Without the package, or while no SDK tracer or meter provider is installed (the API's
global proxies), :func:`current` returns ``None`` after one cheap check per call and the
pipeline skips every hook. The providers are looked up on each call, so a provider set
up after the clients were made is picked up.

Spans: one per call, ``<api> <resource>.<method>`` (``request()``: ``<api> <METHOD>
<path>``), and one child per request on the wire, ``<METHOD> <url.template>``, with
``http.request.method``, ``server.address``, ``url.template``,
``http.response.status_code``, ``http.request.resend_count`` and ``error.type``. The wait
for the budget (``revclient.rate_limit.wait``) and a 429 pause
(``revclient.rate_limit.pause``) are span events. No attribute carries a key, a token, a
tenant, a header, a query string or a body.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from ._version import __version__

if TYPE_CHECKING:
    from ._pipeline import Call
    from ._response import APIResponse

# opentelemetry is imported only once the application has imported it (it must, to set up
# a provider) or the environment names a provider: ``import revclient`` does not pay for it
# (10-15 ms) in applications that do not use it.
metrics: Any = None
trace: Any = None
_metrics_state: Any = None
_OFF: tuple[type, ...] = ()

# The API's public getters read the environment on every call while no provider is set
# (3 us a call here). Until one is set, both globals are None: one look at them says
# there is nothing to report to. Providers named in the environment are loaded by the
# getters, so then they are asked.
_FROM_ENV = any(
    v in os.environ for v in ("OTEL_PYTHON_TRACER_PROVIDER", "OTEL_PYTHON_METER_PROVIDER")
)
_UNKNOWN = object()

__all__ = ["Telemetry", "current"]

T = TypeVar("T")


class Telemetry:
    """The tracer and the instruments of one pair of configured providers."""

    def __init__(self, tracer: Any, meter: Any) -> None:
        self.tracer = tracer
        self.duration = meter.create_histogram(
            "revclient.client.request.duration",
            unit="s",
            description="Duration of revclient calls, retries and waits included",
        )
        self.wait = meter.create_histogram(
            "revclient.rate_limit.wait",
            unit="s",
            description="Time a request waited for its key's rate-limit budget",
        )
        self.queued = meter.create_up_down_counter(
            "revclient.rate_limit.queued",
            unit="{request}",
            description="Requests waiting for their key's rate-limit budget",
        )
        self.exchanges = meter.create_counter(
            "revclient.auth.exchanges",
            unit="{exchange}",
            description="Rev.io PSA API key exchanges started",
        )

    async def traced_call(
        self,
        name: str,
        api: str,
        run: Awaitable[APIResponse[Any]],
        cast: Callable[[APIResponse[Any]], T],
    ) -> T:
        """Await ``run`` (one call through the pipeline) inside its call span; ``cast`` its
        answer after the span."""
        labels: dict[str, Any] = {"revclient.api": api, "revclient.operation": name}
        started = time.perf_counter()
        with self.tracer.start_as_current_span(
            name,
            kind=trace.SpanKind.CLIENT,
            attributes={"revclient.api": api},
            record_exception=False,  # messages are safe, but a traceback is not needed
            set_status_on_exception=False,
        ) as span:
            try:
                response = await run
            except BaseException as exc:
                labels["error.type"] = _failed(span, exc)
                raise
            finally:
                self.duration.record(time.perf_counter() - started, labels)
            span.set_attribute("http.response.status_code", response.status)
        return cast(response)

    @contextmanager
    def attempt(self, call: Call) -> Iterator[Any]:
        """The span of one request on the wire (a child of the call's span)."""
        host = urlsplit(call.url).hostname or ""
        template = call.template or urlsplit(call.url).path
        attributes = {
            "http.request.method": call.method,
            "server.address": host,
            "url.template": template,
        }
        with self.tracer.start_as_current_span(
            f"{call.method} {template}",
            kind=trace.SpanKind.CLIENT,
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            try:
                yield span
            except BaseException as exc:
                _failed(span, exc)
                raise
            finally:
                if call.attempts > 1:
                    span.set_attribute("http.request.resend_count", call.attempts - 1)

    def waiting(self, delta: int) -> None:
        """A request starts (+1) or stops (-1) waiting for its key's budget."""
        self.queued.add(delta)

    def waited(self, seconds: float) -> None:
        """A request got its token after ``seconds``."""
        self.wait.record(seconds)
        trace.get_current_span().add_event("revclient.rate_limit.wait", {"duration_s": seconds})

    def paused(self, seconds: float) -> None:
        """The server answered 429: the key pauses ``seconds`` before this call retries."""
        trace.get_current_span().add_event("revclient.rate_limit.pause", {"delay_s": seconds})

    def exchanged(self) -> None:
        """A key exchange starts."""
        self.exchanges.add(1)


def _failed(span: Any, exc: BaseException) -> str:
    # The exception's type only: messages are safe, but a span needs no more.
    kind = type(exc).__name__
    span.set_attribute("error.type", kind)
    span.set_status(trace.StatusCode.ERROR, kind)
    return kind


def _loaded() -> bool:
    """Whether opentelemetry is usable here, importing it the first time it can be."""
    global metrics, trace, _metrics_state, _OFF
    if trace is not None:
        return True
    if "opentelemetry.trace" not in sys.modules and not _FROM_ENV:
        return False  # the application has not set up OpenTelemetry (yet)
    try:
        from opentelemetry import metrics as _metrics
        from opentelemetry import trace as _trace
        from opentelemetry.metrics import _internal
    except ImportError:  # the extra is not installed: every hook is skipped
        return False
    metrics, _metrics_state = _metrics, _internal
    _OFF = (_trace.ProxyTracerProvider, _trace.NoOpTracerProvider, _metrics.NoOpMeterProvider)
    trace = _trace  # last: other threads test it first
    return True


_cache: tuple[object, object, Telemetry | None] = (None, None, None)


def current() -> Telemetry | None:
    """The telemetry of the installed providers, or ``None`` when there is nothing to
    report to (no package, or no SDK provider set up)."""
    if trace is None and not _loaded():
        return None
    if (
        getattr(trace, "_TRACER_PROVIDER", _UNKNOWN) is None
        and getattr(_metrics_state, "_METER_PROVIDER", _UNKNOWN) is None
        and not _FROM_ENV
    ):
        return None
    tracer_provider = trace.get_tracer_provider()
    meter_provider = metrics.get_meter_provider()
    global _cache
    cached = _cache
    if cached[0] is tracer_provider and cached[1] is meter_provider:
        return cached[2]
    configured = not isinstance(tracer_provider, _OFF) or not (
        isinstance(meter_provider, _OFF) or type(meter_provider).__name__.startswith("_Proxy")
    )
    telemetry = None
    if configured:
        telemetry = Telemetry(
            tracer_provider.get_tracer("revclient", __version__),
            meter_provider.get_meter("revclient", __version__),
        )
    _cache = (tracer_provider, meter_provider, telemetry)
    return telemetry
