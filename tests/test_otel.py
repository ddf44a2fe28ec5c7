"""OpenTelemetry spans and metrics, recorded by the SDK's in-memory exporter and reader.

The SDK providers are installed as the API's globals for each test and removed after it
(the public setters work once per process, and would instrument every later test); one
subprocess test sets them the way an application does.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from helpers import rev23, revio

import revclient
from revclient.testing import Sandbox

otel_sdk = pytest.importorskip("opentelemetry.sdk", reason="opentelemetry-sdk not installed")

from opentelemetry import trace  # noqa: E402
from opentelemetry.metrics import _internal as metrics_state  # noqa: E402
from opentelemetry.sdk.metrics import MeterProvider  # noqa: E402
from opentelemetry.sdk.metrics.export import InMemoryMetricReader  # noqa: E402
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (  # noqa: E402
    InMemorySpanExporter,
)

CUSTOMER = "/api/v2/customers/1"


class Recorded:
    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def names(self) -> list[str]:
        return [s.name for s in self.spans()]

    def metrics(self) -> dict[str, list[Any]]:
        data = self.reader.get_metrics_data()
        out: dict[str, list[Any]] = {}
        for resource in data.resource_metrics if data else []:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    out.setdefault(metric.name, []).extend(metric.data.data_points)
        return out


@pytest.fixture
def otel(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorded]:
    recorded = Recorded()
    # What trace.set_tracer_provider() and metrics.set_meter_provider() set, undone after.
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", recorded.tracer_provider)
    monkeypatch.setattr(metrics_state, "_METER_PROVIDER", recorded.meter_provider)
    yield recorded
    recorded.tracer_provider.shutdown()
    recorded.meter_provider.shutdown()


def children(spans: list[ReadableSpan], parent: ReadableSpan) -> list[ReadableSpan]:
    return [s for s in spans if s.parent is not None and s.parent.span_id == parent.context.span_id]


async def test_a_typed_get_is_one_call_span_with_one_attempt(
    sandbox: Sandbox, otel: Recorded
) -> None:
    async with rev23(sandbox) as rev:
        await rev.customers.get(1)
    spans = otel.spans()
    (call,) = [s for s in spans if s.name == "rev23 customers.get"]
    (attempt,) = children(spans, call)
    assert attempt.name == "GET /api/v2/customers/{id}"
    attrs = dict(attempt.attributes or {})
    assert attrs["http.request.method"] == "GET"
    assert attrs["server.address"] == "127.0.0.1"
    assert attrs["url.template"] == "/api/v2/customers/{id}"
    assert attrs["http.response.status_code"] == 200
    assert "http.request.resend_count" not in attrs
    assert [e.name for e in attempt.events] == ["revclient.rate_limit.wait"]
    assert call.kind == trace.SpanKind.CLIENT and call.status.is_ok


async def test_list_pages_and_request_are_named(sandbox: Sandbox, otel: Recorded) -> None:
    async with rev23(sandbox) as rev:
        pages = [p async for p in rev.customers.list(page_size=100).pages()]
        await rev.request("GET", CUSTOMER)
    names = otel.names()
    assert names.count("rev23 customers.list") == len(pages) >= 2
    assert "rev23 GET /api/v2/customers/1" in names


async def test_a_key_exchange_shows_inside_the_call_that_needed_it(
    sandbox: Sandbox, otel: Recorded
) -> None:
    async with revio(sandbox) as psa:
        await psa.contacts.get(1)
        await psa.contacts.get(2)
    spans = otel.spans()
    first = next(s for s in spans if s.name == "revio contacts.get")
    names = [s.name for s in children(spans, first)]
    assert names == ["POST /api/v1/auth/api-key/exchange", "GET /billing/api/v1/contacts/{id}"]
    (exchanges,) = otel.metrics()["revclient.auth.exchanges"]
    assert exchanges.value == 1


async def test_a_429_retry_is_a_second_attempt_and_a_pause(
    sandbox: Sandbox, otel: Recorded
) -> None:
    sandbox.inject(429, path=CUSTOMER, times=1, headers={"Retry-After": "0.01"})
    async with rev23(sandbox) as rev:
        await rev.customers.get(1)
    spans = otel.spans()
    call = next(s for s in spans if s.name == "rev23 customers.get")
    attempts = children(spans, call)
    assert [dict(a.attributes or {})["http.response.status_code"] for a in attempts] == [429, 200]
    assert dict(attempts[1].attributes or {})["http.request.resend_count"] == 1
    pause = [e for e in call.events if e.name == "revclient.rate_limit.pause"]
    assert len(pause) == 1 and pause[0].attributes == {"delay_s": 0.01}


async def test_a_failed_post_is_an_error_span(sandbox: Sandbox, otel: Recorded) -> None:
    sandbox.inject(503, path="/psac/api/v1/ticket", times=1)
    async with revio(sandbox) as psa:
        with pytest.raises(revclient.ServerError):
            await psa.tickets.create(customer_id=1, ticket_description="printer on fire")
    spans = otel.spans()
    call = next(s for s in spans if s.name == "revio tickets.create")
    assert not call.status.is_ok and dict(call.attributes or {})["error.type"] == "ServerError"
    (attempt,) = [s for s in children(spans, call) if s.name.startswith("POST /psac")]
    assert dict(attempt.attributes or {})["http.response.status_code"] == 503


async def test_metrics(sandbox: Sandbox, otel: Recorded) -> None:
    async with rev23(sandbox) as rev:
        for i in range(3):
            await rev.customers.get(i + 1)
    recorded = otel.metrics()
    (duration,) = recorded["revclient.client.request.duration"]
    assert duration.count == 3 and dict(duration.attributes)["revclient.api"] == "rev23"
    (wait,) = recorded["revclient.rate_limit.wait"]
    assert wait.count == 3
    (queued,) = recorded["revclient.rate_limit.queued"]
    assert queued.value == 0  # every waiter counted in and out


async def test_no_secret_in_any_attribute(sandbox: Sandbox, otel: Recorded) -> None:
    sandbox.inject(429, path="/billing", times=1, headers={"Retry-After": "0.01"})
    async with revio(sandbox) as psa, rev23(sandbox) as rev:
        await psa.contacts.get(1)
        sandbox.expire_tokens()
        await psa.contacts.get(2)
        await rev.customers.get(1)
        jwt = psa._tokens.token
        assert jwt is not None
    secrets = [
        sandbox.rev23_api_key,
        sandbox.revio_api_key,
        sandbox.rev23_tenant,
        sandbox.revio_host,
        jwt.value,
    ]
    texts = []
    for span in otel.spans():
        texts.append(span.name)
        texts += [str(v) for v in (span.attributes or {}).values()]
        for event in span.events:
            texts += [str(v) for v in (event.attributes or {}).values()]
    assert texts and not [t for t in texts for s in secrets if s in t]


def test_an_application_that_sets_the_global_providers() -> None:
    # What an application does: set the SDK providers once, then use revclient.
    script = """
import asyncio, revclient
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from revclient.testing import Sandbox

async def main():
    async with Sandbox() as sb:
        async with revclient.AsyncRev23(sb.rev23_api_key, sb.rev23_tenant, base_url=sb.url) as rev:
            await rev.customers.get(1)  # before any provider: nothing recorded, no error
            exporter = InMemorySpanExporter()
            provider = TracerProvider()
            provider.add_span_processor(SimpleSpanProcessor(exporter))
            trace.set_tracer_provider(provider)
            await rev.customers.get(2)
            print(sorted(s.name for s in exporter.get_finished_spans()))

asyncio.run(main())
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['GET /api/v2/customers/{id}', 'rev23 customers.get']"


def test_without_the_opentelemetry_package_nothing_changes() -> None:
    script = """
import sys
sys.modules["opentelemetry"] = None  # as if the extra were not installed
import asyncio, revclient
from revclient import _telemetry
from revclient.testing import Sandbox

async def main():
    async with Sandbox() as sb:
        async with revclient.AsyncRev23(sb.rev23_api_key, sb.rev23_tenant, base_url=sb.url) as rev:
            print((await rev.customers.get(1)).id, _telemetry.current())

asyncio.run(main())
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1 None"


def test_a_sync_call_is_a_child_of_the_callers_span(otel: Recorded) -> None:
    # The portal's task copies the calling thread's context (however the call reaches the
    # loop), so a blocking call made inside an application's span shows inside it.
    import revclient.sync

    sandbox = Sandbox(rate_limit=None).run_in_thread()
    with (
        sandbox as sb,
        revclient.sync.Rev23(sb.rev23_api_key, sb.rev23_tenant, base_url=sb.url) as rev,
    ):
        with otel.tracer_provider.get_tracer("app").start_as_current_span("job"):
            rev.customers.get(1)
            assert len(list(rev.customers.list(page_size=100))) == 250
        rev.customers.get(2)  # outside any span: a root
    spans = otel.spans()
    (job,) = [s for s in spans if s.name == "job"]
    names = sorted(s.name for s in children(spans, job))
    assert names == ["rev23 customers.get"] + ["rev23 customers.list"] * 3
    roots = [s.name for s in spans if s.parent is None]
    assert sorted(roots) == ["job", "rev23 customers.get"]
