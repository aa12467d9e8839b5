"""OpenTelemetry tracing: exporter chosen by OTEL_TRACES_EXPORTER (none / console / otlp).

Trace context crosses NATS in message headers (W3C ``traceparent``): FastStream's telemetry
middleware extracts it in consumers; the outbox stores the context current when the event was
emitted so the relay's publish continues the request's trace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi.telemetry import TelemetryConfig
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, DEFAULT_ON, Sampler, SamplingResult
from opentelemetry.trace import Link, SpanKind
from opentelemetry.trace.span import TraceState
from opentelemetry.util.types import Attributes

_provider: TracerProvider | None = None


class _RecordOnceExported(Sampler):
    """Records nothing until its provider has a span processor (somewhere to send spans): a
    span nobody exports would be made, filled with attributes and dropped, on every request and
    message. Span contexts are made either way, so trace ids still reach the logs and the
    ``traceparent`` of messages. Once a processor is added: parent-based, always on."""

    def __init__(self) -> None:
        self.exported = False

    def should_sample(
        self, parent_context: Context | None, trace_id: int, name: str,
        kind: SpanKind | None = None, attributes: Attributes = None,
        links: Sequence[Link] | None = None, trace_state: TraceState | None = None,
    ) -> SamplingResult:
        sampler = DEFAULT_ON if self.exported else ALWAYS_OFF
        return sampler.should_sample(parent_context, trace_id, name, kind, attributes, links,
                                     trace_state)

    def get_description(self) -> str:
        return "RecordOnceExported"


class _Provider(TracerProvider):
    def __init__(self, resource: Resource) -> None:
        self._recording = _RecordOnceExported()
        super().__init__(sampler=self._recording, resource=resource)

    def add_span_processor(self, span_processor: SpanProcessor) -> None:
        super().add_span_processor(span_processor)
        self._recording.exported = True


def configure_tracing(service: str, exporter: str) -> TracerProvider:
    global _provider
    if _provider is not None:
        return _provider
    provider = _Provider(resource=Resource.create({"service.name": f"igny8-{service}"}))
    chosen: SpanExporter | None = None
    if exporter == "console":
        chosen = ConsoleSpanExporter()
    elif exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        chosen = OTLPSpanExporter()
    elif exporter != "none":
        raise ValueError(f"OTEL_TRACES_EXPORTER must be none, console or otlp, not {exporter!r}")
    if chosen is not None:
        provider.add_span_processor(BatchSpanProcessor(chosen))
    trace.set_tracer_provider(provider)
    _provider = provider
    return provider


_PROBES = frozenset({"/healthz", "/readyz"})


def _is_probe(scope: Any) -> bool:
    return scope.get("path") in _PROBES


def http_telemetry(exporter: str) -> TelemetryConfig:
    """FastAPI's own OpenTelemetry for the HTTP server (``FastAPI(telemetry=...)``).

    When spans are exported: one server span per request (``traceparent`` continued, the route
    template as ``http.route``), probes left out; no extra spans for dependencies and
    serialisation. With no exporter, no HTTP spans at all: they would be made and dropped, and
    OpenTelemetry's contrib instrumentation that made them cost a fifth of a simple
    authenticated request (it matched every route a second time to name the span). Requests
    are still followed through logs and messages by their request and correlation ids.
    """
    if exporter == "none":
        return {"tracing": False}
    return {"operation_spans": False, "exclude": _is_probe}


def current_trace_headers() -> dict[str, str]:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


def context_from_headers(headers: Mapping[str, str] | None) -> Context:
    return propagate.extract(dict(headers or {}))


def tracer(name: str = "igny8") -> trace.Tracer:
    return trace.get_tracer(name)
