/**
 * A webhook receiver for the tests, run as its own Worker: it checks every delivery's signature the way
 * a user's receiver would (`verifyWebhook` with the shared secret) and can be told to fail the first N
 * attempts of each delivery. `POST /hooks/<name>?fail=N` receives; `GET /received/<name>` tells what came.
 */
import { SIGNATURE_HEADER, verifyWebhook } from "#shared/webhook-signature.ts";

interface ReceiverEnv {
  WEBHOOK_SECRET: string;
}

interface Received {
  delivery: string;
  attempt: number;
  type: string;
  verified: boolean;
  reason: string | null;
  answered: number;
  body: unknown;
}

const received = new Map<string, Received[]>();

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const [, kind, name] = url.pathname.split("/");
    if (!name) return new Response("not found", { status: 404 });
    if (kind === "received") return Response.json(received.get(name) ?? []);
    if (kind !== "hooks" || request.method !== "POST") return new Response("not found", { status: 404 });

    const body = await request.text();
    const check = await verifyWebhook(env.WEBHOOK_SECRET, body, request.headers.get(SIGNATURE_HEADER));
    const delivery = request.headers.get("baton-delivery") ?? "";
    const log = received.get(name) ?? [];
    received.set(name, log);
    const attempt = log.filter((r) => r.delivery === delivery).length + 1;
    const failFirst = Number(url.searchParams.get("fail") ?? 0);
    const answered = !check.ok ? 401 : attempt <= failFirst ? 503 : 200;
    log.push({
      delivery,
      attempt,
      type: request.headers.get("baton-event") ?? "",
      verified: check.ok,
      reason: check.ok ? null : check.reason,
      answered,
      body: JSON.parse(body),
    });
    return new Response(answered === 200 ? "ok" : "try again later", { status: answered });
  },
} satisfies ExportedHandler<ReceiverEnv>;
