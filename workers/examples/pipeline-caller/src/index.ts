/**
 * An example Worker that runs a Baton pipeline over RPC. `POST /run` with `{ template, params }` starts
 * an execution through the `BATON` service binding and streams its events back as they happen, one JSON
 * object per line, ending with the execution's final state. Failures come back as the API's error format
 * with the stable `code` the RPC error carried.
 */
import { BatonError, batonService, type OrchestratorRpc } from "#shared/rpc.ts";

/**
 * This Worker's bindings. Written here rather than generated: `wrangler types` can only call a binding to
 * another Worker a `Fetcher`, while the shared contract types every method.
 */
interface CallerEnv {
  BATON: OrchestratorRpc;
}

const encoder = new TextEncoder();

async function run(env: CallerEnv, template: string, params: Record<string, unknown>, out: WritableStreamDefaultWriter<Uint8Array>) {
  const line = (value: unknown) => out.write(encoder.encode(`${JSON.stringify(value)}\n`));
  try {
    // The three lines from docs/clients.md:
    const baton = batonService(env.BATON);
    const { id } = await baton.startExecution({ template, params });
    for await (const event of baton.follow(id)) await line({ seq: event.seq, type: event.type, data: event.data });

    const final = await baton.getExecution(id);
    await line({ done: true, id, status: final.status, output: final.output });
  } catch (error) {
    // A refusal's code and details; `error.message` alone reads "validation_failed: params.x: …".
    const refusal = BatonError.from(error);
    await line(refusal ? refusal.toBody() : { error: { code: "internal", message: String(error) } });
  } finally {
    await out.close();
  }
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (request.method !== "POST" || url.pathname !== "/run") {
      return Response.json({ error: { code: "not_found", message: "POST /run with { template, params }" } }, { status: 404 });
    }
    const body = (await request.json().catch(() => ({}))) as { template?: unknown; params?: unknown };
    if (typeof body.template !== "string") {
      return Response.json({ error: { code: "validation_failed", message: "template: a template id is required" } }, { status: 422 });
    }
    const params = body.params && typeof body.params === "object" ? (body.params as Record<string, unknown>) : {};
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    ctx.waitUntil(run(env, body.template, params, writable.getWriter()));
    return new Response(readable, { headers: { "content-type": "application/x-ndjson" } });
  },
} satisfies ExportedHandler<CallerEnv>;
