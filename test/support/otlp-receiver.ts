/**
 * A small OTLP/HTTP receiver for the tests, run as its own Worker: it takes `POST /otlp/<name>/v1/traces`
 * with a JSON `ExportTraceServiceRequest`, as a collector (Jaeger, Tempo, Honeycomb) would, refusing
 * anything that is not JSON or has no spans, and can be told to answer 503 to the first N requests
 * (`?fail=N` on the endpoint). `GET /received/<name>` tells what came: each request's headers and its
 * spans, flattened with their resource's service name.
 */

interface Received {
  headers: Record<string, string>;
  serviceName: string | null;
  spans: Record<string, unknown>[];
}

interface ExportRequest {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: { spans?: Record<string, unknown>[] }[];
  }[];
}

const received = new Map<string, Received[]>();
const attempts = new Map<string, number>();

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const [, kind, name, ...rest] = url.pathname.split("/");
    if (!name) return new Response("not found", { status: 404 });
    if (kind === "received" && request.method === "GET") return Response.json(received.get(name) ?? []);
    if (kind !== "otlp" || request.method !== "POST" || rest.join("/") !== "v1/traces") return new Response("not found", { status: 404 });
    const attempt = (attempts.get(name) ?? 0) + 1;
    attempts.set(name, attempt);
    if (attempt <= Number(url.searchParams.get("fail") ?? 0)) return new Response("busy", { status: 503 });
    if (!request.headers.get("content-type")?.startsWith("application/json")) return new Response("OTLP/HTTP JSON only", { status: 415 });
    const body = (await request.json()) as ExportRequest;
    const log = received.get(name) ?? [];
    received.set(name, log);
    for (const resourceSpans of body.resourceSpans ?? []) {
      const serviceName = resourceSpans.resource?.attributes?.find((a) => a.key === "service.name")?.value.stringValue ?? null;
      const spans = (resourceSpans.scopeSpans ?? []).flatMap((scope) => scope.spans ?? []);
      if (spans.length === 0) return new Response("no spans", { status: 400 });
      log.push({ headers: Object.fromEntries(request.headers), serviceName, spans });
    }
    return Response.json({ partialSuccess: {} });
  },
} satisfies ExportedHandler;
