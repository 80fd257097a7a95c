/**
 * The OTLP/HTTP JSON encoding of spans (opentelemetry-proto's JSON mapping: hex ids, nanosecond times as
 * strings, typed attribute values, enums as numbers), and the exporter's endpoint and headers from
 * config and the `OTEL_EXPORTER_OTLP_HEADERS` secret in the format every OpenTelemetry SDK reads.
 */

export type AttributeValue = string | number | boolean;

export interface OtlpAttribute {
  key: string;
  value: { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
}

/** A span as Baton builds it, before encoding. */
export interface SpanData {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startMs: number;
  endMs: number;
  attributes: Record<string, AttributeValue | null | undefined>;
  status: "ok" | "error" | "unset";
  statusMessage?: string;
  links?: { traceId: string; spanId: string }[];
}

export const SPAN_KIND_INTERNAL = 1;
const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;

export function encodeAttributes(attributes: Record<string, AttributeValue | null | undefined>): OtlpAttribute[] {
  const encoded: OtlpAttribute[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    if (typeof value === "string") encoded.push({ key, value: { stringValue: value } });
    else if (typeof value === "boolean") encoded.push({ key, value: { boolValue: value } });
    else if (Number.isInteger(value)) encoded.push({ key, value: { intValue: String(value) } });
    else encoded.push({ key, value: { doubleValue: value } });
  }
  return encoded;
}

function nanos(ms: number): string {
  return (BigInt(Math.round(ms)) * 1_000_000n).toString();
}

export function encodeSpan(span: SpanData) {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: span.name,
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: nanos(span.startMs),
    endTimeUnixNano: nanos(Math.max(span.endMs, span.startMs)),
    attributes: encodeAttributes(span.attributes),
    status: { code: STATUS_CODE[span.status], ...(span.statusMessage ? { message: span.statusMessage } : {}) },
    ...(span.links && span.links.length > 0 ? { links: span.links } : {}),
  };
}

/** One OTLP `ExportTraceServiceRequest` body. */
export function exportRequest(spans: readonly SpanData[], resource: { serviceName: string; serviceVersion: string }) {
  return {
    resourceSpans: [
      {
        resource: { attributes: encodeAttributes({ "service.name": resource.serviceName, "service.version": resource.serviceVersion }) },
        scopeSpans: [{ scope: { name: "baton", version: resource.serviceVersion }, spans: spans.map(encodeSpan) }],
      },
    ],
  };
}

/** Where traces go: the OTLP base endpoint plus `/v1/traces`, unless it names that path already. */
export function tracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (!url.pathname.endsWith("/v1/traces")) url.pathname = `${url.pathname.replace(/\/+$/, "")}/v1/traces`;
  return url.toString();
}

/**
 * `OTEL_EXPORTER_OTLP_HEADERS`: `key=value` pairs separated by commas, values URL-encoded
 * (`x-honeycomb-team=abc,x-honeycomb-dataset=baton`). Malformed pairs are skipped.
 */
export function parseOtlpHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (text ?? "").split(",")) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    const key = pair.slice(0, at).trim().toLowerCase();
    let value = pair.slice(at + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // Not URL-encoded after all: use it as written.
    }
    if (/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(key)) headers[key] = value;
  }
  return headers;
}

/** Ids derived from what they name, so a child execution's trace can point at its parent step's span. */
export async function spanIdOf(...parts: (string | number)[]): Promise<string> {
  return (await digestHex(`span:${parts.join("\u0000")}`)).slice(0, 16);
}

export async function traceIdOf(rootExecutionId: string): Promise<string> {
  return (await digestHex(`trace:${rootExecutionId}`)).slice(0, 32);
}

async function digestHex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
