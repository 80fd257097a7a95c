/**
 * HTTP agents for the tests, as one auxiliary Worker that receives every outbound fetch of the
 * orchestrator (vitest.config.ts sets it as the orchestrator's `outboundService`) and answers by host:
 *
 * - `echo.agents.test`: the real echo agent (over its service binding) served by `serveAgentHttp`;
 *   `GET /_seen` lists the `POST /run` requests it got (idempotency header and task).
 * - `switch.agents.test`: echo too, until `POST /_switch { "broken": true }`; then `/health` and `/run`
 *   answer 503, as an agent that went down would.
 * - `sick.agents.test`: answers `/health` with `{ ok: false }`.
 * - `garbled.agents.test`: healthy, but `/describe` answers HTML; `shapeless.agents.test`: JSON that is
 *   not a description.
 * - `liar.agents.test`: echo, but its description promises a string `value`, which echo does not keep.
 * - `huge.agents.test`: echo, but `/run` answers 3 MB.
 * - `moved.agents.test`: healthy, but `/run` redirects to echo.
 * - `unreachable.agents.test`: a real connection refused.
 * - `signed.agents.test`: echo that verifies Baton's signature on `POST /run` with the secret given to
 *   `POST /_secret`; `GET /_checks` lists what each check found.
 * - `leaky.agents.test`: answers with an "internal page" that must never be echoed back.
 * - `cloudflare-dns.com`: DNS-over-HTTPS answers; names under `inside.test` resolve to private addresses.
 * - `openai.agents.test`: a fake OpenAI-compatible `POST /v1/chat/completions` that streams the words of
 *   the prompt back as SSE tokens 30 ms apart (`stream: true`), with usage in a last chunk, then `[DONE]`.
 * - `stream.agents.test`: echo's description, but `/run` streams `input.stream` (chunks `input.delayMs`
 *   apart) as `text/event-stream`, or as `application/x-ndjson` when `input.format` is "ndjson", then the
 *   result `{ value, attempt }` (echo's output shape).
 *
 * Any other host goes to the network, so tests that fetch elsewhere behave as without this Worker.
 */
import type { AgentService } from "#shared/agent.ts";
import { serveAgentHttp } from "#shared/http-agent.ts";
import { SIGNATURE_HEADER, verifyWebhook } from "#shared/webhook-signature.ts";

interface Env {
  ECHO: AgentService;
}

interface SeenRun {
  host: string;
  idempotencyKey: string | null;
  task: Record<string, unknown>;
}

const seen: SeenRun[] = [];
let signedSecret = "";
const signedChecks: string[] = [];

/**
 * DNS-over-HTTPS for the orchestrator's outbound policy (outbound/doh.ts): names under `inside.test`
 * point at a private address, as a name an attacker controls could; every other name at a public one.
 */
function dnsAnswer(url: URL): Response {
  const name = url.searchParams.get("name") ?? "";
  const type = url.searchParams.get("type") === "AAAA" ? 28 : 1;
  const inside = name === "inside.test" || name.endsWith(".inside.test");
  const data = type === 1 ? (inside ? "10.0.0.7" : "203.0.113.80") : inside ? "fd12::7" : null;
  return Response.json({ Status: 0, Answer: data ? [{ name, type, TTL: 300, data }] : [] });
}
let switchBroken = false;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const echo = {
      describe: () => env.ECHO.describe(),
      health: () => env.ECHO.health(),
      run: async (task: Parameters<AgentService["run"]>[0]) => env.ECHO.run(task),
    };
    const served = async () => {
      if (request.method === "POST" && url.pathname === "/run") {
        const task = (await request.clone().json()) as Record<string, unknown>;
        seen.push({ host: url.hostname, idempotencyKey: request.headers.get("idempotency-key"), task });
      }
      return serveAgentHttp(echo, request);
    };
    switch (url.hostname) {
      case "echo.agents.test":
        if (url.pathname === "/_seen") return Response.json(seen);
        return served();
      case "switch.agents.test":
        if (url.pathname === "/_switch") {
          switchBroken = ((await request.json()) as { broken: boolean }).broken;
          return Response.json({ broken: switchBroken });
        }
        if (switchBroken && url.pathname === "/health") return Response.json({ ok: false, detail: "switched off" }, { status: 503 });
        if (switchBroken && url.pathname === "/run") {
          await request.arrayBuffer();
          return Response.json({ error: { code: "unavailable", message: "switched off" } }, { status: 503 });
        }
        return served();
      case "sick.agents.test":
        if (url.pathname === "/health") return Response.json({ ok: false, detail: "its database is unreachable" }, { status: 503 });
        return served();
      case "garbled.agents.test":
        if (url.pathname === "/describe") return new Response("<html><body>It works!</body></html>", { headers: { "content-type": "text/html" } });
        return served();
      case "shapeless.agents.test":
        if (url.pathname === "/describe") return Response.json({ name: "shapeless", version: 1 });
        return served();
      case "liar.agents.test":
        if (url.pathname === "/describe") {
          const described = await env.ECHO.describe();
          const output = { type: "object", properties: { value: { type: "string" }, attempt: { type: "integer" } }, required: ["value", "attempt"] };
          return Response.json({ ...described, name: "liar", output });
        }
        return served();
      case "huge.agents.test":
        if (url.pathname === "/run") {
          await request.arrayBuffer();
          return Response.json({ output: "x".repeat(3 * 1024 * 1024) });
        }
        return served();
      case "moved.agents.test":
        if (url.pathname === "/run") return Response.redirect("http://echo.agents.test/run", 307);
        return served();
      case "agent.inside.test":
        return served();
      case "cloudflare-dns.com":
        return dnsAnswer(url);
      case "signed.agents.test":
        // Echo that refuses every POST /run without a valid Baton-Signature, as docs/agents.md tells agents to.
        if (request.method === "POST" && url.pathname === "/run") {
          const body = await request.clone().text();
          const check = await verifyWebhook(signedSecret, body, request.headers.get(SIGNATURE_HEADER));
          signedChecks.push(check.ok ? "ok" : check.reason);
          if (!check.ok) return Response.json({ error: { code: "unauthorized", message: `not from Baton: ${check.reason}` } }, { status: 401 });
        }
        if (url.pathname === "/_secret" && request.method === "POST") {
          signedSecret = ((await request.json()) as { secret: string }).secret;
          return Response.json({ ok: true });
        }
        if (url.pathname === "/_checks") return Response.json(signedChecks);
        return served();
      case "leaky.agents.test":
        // An internal page behind an agent-looking URL: its body must never be shown back to a caller.
        if (url.pathname === "/run") return new Response("INTERNAL-SECRET-PAGE: db password hunter2", { status: 500 });
        return served();
      case "stream.agents.test":
        if (url.pathname === "/run") return streamedRun((await request.json()) as { input?: { stream?: string[]; delayMs?: number; format?: string } });
        return served();
      case "openai.agents.test":
        return fakeChatCompletions((await request.json()) as { model: string; stream?: boolean; messages: { content: string }[] });
      case "unreachable.agents.test":
        // Nothing listens on the discard port: the fetch fails the way an agent that is not running does.
        return fetch(`http://127.0.0.1:9${url.pathname}`, request);
      default:
        return fetch(request);
    }
  },
};

/** Streams the chunks one by one, the way a streaming HTTP agent answers `/run`. */
function streamedRun(task: { input?: { stream?: string[]; delayMs?: number; format?: string } }): Response {
  const chunks = task.input?.stream ?? [];
  const ndjson = task.input?.format === "ndjson";
  const frame = (type: "chunk" | "result", data: unknown) =>
    ndjson ? `${JSON.stringify(type === "chunk" ? { type, chunk: data } : { type, ...(data as object) })}\n` : `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  void (async () => {
    for (const chunk of chunks) {
      await new Promise((resolve) => setTimeout(resolve, task.input?.delayMs ?? 0));
      await writer.write(encoder.encode(frame("chunk", chunk)));
    }
    await writer.write(encoder.encode(frame("result", { output: { value: chunks.join(""), attempt: 1 }, usage: { costUsd: 0.001 } })));
    await writer.close();
  })();
  return new Response(readable, { headers: { "content-type": ndjson ? "application/x-ndjson" : "text/event-stream" } });
}

/** Streams the last message's words back the way the OpenAI API streams a completion. */
function fakeChatCompletions(body: { model: string; stream?: boolean; messages: { content: string }[] }): Response {
  const words = (body.messages.at(-1)?.content ?? "").split(" ").map((word, i) => (i === 0 ? word : ` ${word}`));
  if (!body.stream) return Response.json({ model: body.model, choices: [{ message: { content: words.join("") }, finish_reason: "stop" }] });
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const send = (data: unknown) => writer.write(encoder.encode(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`));
  void (async () => {
    for (const word of words) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      await send({ model: body.model, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] });
    }
    await send({ model: body.model, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
    await send({ model: body.model, choices: [], usage: { prompt_tokens: 7, completion_tokens: words.length } });
    await send("[DONE]");
    await writer.close();
  })();
  return new Response(readable, { headers: { "content-type": "text/event-stream" } });
}
