/**
 * Proves that hostile input never breaks the API: a bounded, seeded fuzz of every route the router has
 * (malformed JSON, wrong types, huge bodies and numbers, unicode, odd path parameters, wrong methods,
 * missing and wrong tokens) gets only 4xx answers in the error format, never a 5xx, and no request that
 * was refused changed a stored row. A second, deeper pass sends what the first cannot: real `__proto__`
 * and `constructor` keys on the wire (a JS literal never sends them), bodies nested 10,000 deep, numbers
 * at the edges of what JSON can say, and chunked bodies without Content-Length to the console's sign-in
 * and proxy and to the API, which must be refused at the cap, not read whole. Every one of those answers
 * is a 4xx JSON error, no row changes, and nothing is polluted. Each pass prints its counts (requests
 * sent, 4xx, 5xx, rows changed), which `npm run test:reliability` shows and the README's table records.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApi } from "../../workers/orchestrator/src/api/app.ts";
import { api } from "../support/api.ts";
import { consoleFetch, signInThroughConsole } from "../support/console.ts";
import { saveTemplate } from "../support/executions.ts";

/** A small deterministic PRNG, so a failure replays exactly (mulberry32). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const weirdStrings = ["", " ", "../", "..%2f..%2f", "%00", "\u0000", "🦄".repeat(50), "x".repeat(5000), "<script>alert(1)</script>", "' OR 1=1 --", "ex_", "ex_0000000000000000", "$start", "null", "NaN"];
const weirdValues: unknown[] = [null, true, -1, 0, 1e308, -1e308, 2 ** 53 + 1, 1.5, "", [], {}, [[[[[]]]]], { __proto__: { polluted: true } }, { constructor: { prototype: 1 } }, ...weirdStrings];
const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function fuzzBody(random: () => number, depth = 0): unknown {
  const roll = random();
  if (depth > 3 || roll < 0.5) return pick(random, weirdValues);
  if (roll < 0.75) return Array.from({ length: Math.floor(random() * 4) }, () => fuzzBody(random, depth + 1));
  const keys = ["id", "name", "steps", "params", "template", "priority", "comment", "reason", "url", "globalConcurrency", "mode", "items", "agent", "needs", "🦄"];
  return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [pick(random, keys), fuzzBody(random, depth + 1)]));
}

function rawBody(random: () => number): { body: string; contentType: string } {
  const roll = random();
  if (roll < 0.15) return { body: "{not json", contentType: "application/json" };
  if (roll < 0.25) return { body: JSON.stringify({ name: "x".repeat(1_100_000) }), contentType: "application/json" };
  if (roll < 0.3) return { body: "a=b", contentType: "application/x-www-form-urlencoded" };
  if (roll < 0.35) return { body: `{"a":${"9".repeat(400)}}`, contentType: "application/json" };
  return { body: JSON.stringify(fuzzBody(random)), contentType: "application/json" };
}

function concretePath(random: () => number, path: string): string {
  return path.replace(/:[A-Za-z]+|\{[A-Za-z]+\}/g, () => encodeURIComponent(pick(random, weirdStrings)) || "x");
}

/**
 * Every stored row, less what changes on its own without a request changing anything: a token's last
 * use, and what the agent registry refreshes in the background (discovery, health) — for agents only
 * what a request could change is compared.
 */
const AGENT_FIELDS = ["name", "kind", "url", "binding", "enabled", "deregistered_at"];

async function snapshot(): Promise<string> {
  const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' AND name != 'd1_migrations' ORDER BY name").all<{ name: string }>();
  const parts: string[] = [];
  for (const { name } of tables.results) {
    const rows = await env.DB.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all<Record<string, unknown>>();
    const stable = (row: Record<string, unknown>) =>
      name === "agents"
        ? Object.fromEntries(AGENT_FIELDS.map((key) => [key, row[key]]))
        : name === "api_tokens"
          ? { ...row, last_used_at: null }
          : row;
    parts.push(name, JSON.stringify(rows.results.map(stable)));
  }
  return parts.join("\n");
}

function changedTables(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const changed: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i += 2) if (a[i + 1] !== b[i + 1]) changed.push(`${b[i] ?? a[i]}: ${a[i + 1]?.slice(0, 300)} → ${b[i + 1]?.slice(0, 300)}`);
  return changed;
}

const REQUESTS_PER_ROUTE = 6;

describe("hostile input", () => {
  it("answers every fuzzed request of every route with a 4xx JSON error or a success, never a 5xx, and refusals change nothing", async () => {
    await saveTemplate({ id: "fuzz-target", name: "Fuzz target", steps: [{ id: "a", agent: "echo" }] });
    // The registry records the bound agents the first time it is asked; let that happen before the baseline.
    await (await api("/v1/agents")).body?.cancel();
    const routes = createApi().routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/v1"));
    expect(routes.length).toBeGreaterThan(25);
    const random = prng(20261123);
    const failures: string[] = [];
    let before = await snapshot();
    let sent = 0;
    let fourXx = 0;
    let rowsChangedByRefusals = 0;
    for (const route of routes) {
      for (let i = 0; i < REQUESTS_PER_ROUTE; i++) {
        const method = random() < 0.8 ? route.method : pick(random, methods);
        const path = concretePath(random, route.path) + (random() < 0.3 ? `?${pick(random, ["limit", "cursor", "status", "version", "since", "after", "level"])}=${encodeURIComponent(pick(random, weirdStrings))}` : "");
        const token = random() < 0.15 ? pick(random, [null, "wrong", "Bearer", "x".repeat(600)]) : undefined;
        const withBody = method !== "GET" && random() < 0.85;
        const { body, contentType } = rawBody(random);
        // SSE routes stream forever for a valid id; the fuzzed ids never exist, so they answer 404 at once.
        const response = await api(path, { method, token, body: withBody ? body : undefined, headers: withBody ? { "content-type": contentType } : {} });
        sent++;
        const what = `${method} ${path.slice(0, 120)} (${route.method} ${route.path})`;
        const type = response.headers.get("content-type") ?? "";
        if (response.status >= 500) failures.push(`${what} → ${response.status} ${(await response.text()).slice(0, 200)}`);
        else if (response.status >= 400) {
          fourXx++;
          const text = await response.text();
          let parsed: { error?: { code?: unknown; message?: unknown } } = {};
          try {
            parsed = JSON.parse(text);
          } catch {
            failures.push(`${what} → ${response.status} with a non-JSON body: ${text.slice(0, 120)}`);
          }
          if (typeof parsed.error?.code !== "string" || typeof parsed.error?.message !== "string") failures.push(`${what} → ${response.status} not in the error format`);
          const after = await snapshot();
          if (after !== before) {
            rowsChangedByRefusals++;
            failures.push(`${what} → ${response.status} but stored rows changed: ${changedTables(before, after).join(", ")}`);
          }
          before = after;
        } else {
          await response.body?.cancel();
          if (!type.includes("json") && !type.includes("event-stream")) failures.push(`${what} → ${response.status} ${type}`);
          // An accepted request may change rows; compare the next refusals against the new state.
          before = await snapshot();
        }
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBe(routes.length * REQUESTS_PER_ROUTE);
    console.log(`hostile input (broad): ${sent} requests sent, ${fourXx} 4xx, ${failures.filter((f) => / → 5\d\d /.test(f)).length} 5xx, ${rowsChangedByRefusals} rows changed by refusals`);
  }, 300_000);

  it("refuses real __proto__/constructor keys, 10,000-deep nesting, edge numbers and chunked bodies over the cap: 4xx JSON, no row changes", async () => {
    await saveTemplate({ id: "deep-target", name: "Deep target", params: { n: { type: "integer" }, o: { type: "object" } }, steps: [{ id: "a", agent: "echo" }] });
    await (await api("/v1/agents")).body?.cancel();
    const session = await signInThroughConsole();
    const tally = { sent: 0, fourXx: 0, fiveXx: 0, rowsChanged: 0 };
    const failures: string[] = [];
    const before = await snapshot();

    const judge = async (what: string, response: Response) => {
      tally.sent++;
      const text = await response.text();
      if (response.status >= 500) tally.fiveXx++;
      if (response.status >= 400 && response.status < 500) tally.fourXx++;
      let parsed: { error?: { code?: unknown } } = {};
      try {
        parsed = JSON.parse(text);
      } catch {}
      if (response.status < 400 || response.status >= 500 || typeof parsed.error?.code !== "string") failures.push(`${what} → ${response.status} ${text.slice(0, 160)}`);
      const after = await snapshot();
      if (after !== before) {
        tally.rowsChanged++;
        failures.push(`${what} changed rows: ${changedTables(before, after).join(", ").slice(0, 400)}`);
      }
    };

    // Raw JSON text: the keys are really on the wire, as own properties after JSON.parse.
    const deepArray = `${"[".repeat(10_000)}1${"]".repeat(10_000)}`;
    const deepObject = `${'{"o":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    const hostileBodies: [string, string][] = [
      ["__proto__ at the top", '{"__proto__":{"polluted":true},"template":"deep-target"}'],
      ["__proto__ in params", '{"template":"deep-target","params":{"__proto__":{"polluted":true}}}'],
      ["constructor.prototype", '{"template":"deep-target","params":{"constructor":{"prototype":{"polluted":true}}}}'],
      ["__proto__ in a template", '{"name":"P","params":{"__proto__":{"type":"string"}},"steps":[{"id":"a","agent":"echo"}]}'],
      ["__proto__ in config", '{"__proto__":{"globalConcurrency":1},"mode":"auto"}'],
      ["array nested 10,000 deep", deepArray],
      ["object nested 10,000 deep", `{"template":"deep-target","params":{"o":${deepObject}}}`],
      ["input nested 10,000 deep", `{"name":"D","steps":[{"id":"a","agent":"echo","input":${deepObject}}]}`],
    ];
    const bodyRoutes: [string, string][] = [
      ["POST", "/v1/executions"],
      ["PUT", "/v1/templates/deep-new"],
      ["PUT", "/v1/config"],
      ["POST", "/v1/tokens"],
      ["POST", "/v1/agents"],
      ["PUT", "/v1/webhooks"],
      ["POST", "/v1/templates/deep-target/estimate"],
    ];
    for (const [method, path] of bodyRoutes) {
      for (const [what, body] of hostileBodies) {
        await judge(`${method} ${path} with ${what}`, await api(path, { method, body, headers: { "content-type": "application/json" } }));
      }
    }
    // The same through the console's proxy, as the signed-in admin.
    for (const [what, body] of hostileBodies) {
      const response = await consoleFetch("/api/v1/executions", { method: "POST", session, headers: { "content-type": "application/json", accept: "application/json" }, body });
      await judge(`console proxy with ${what}`, response);
    }

    // Numbers at the edges: too big to be finite (JSON.parse reads them as Infinity), the largest finite,
    // beyond safe integers, the smallest positive, fractions where integers go.
    const edgeNumbers = ["1e309", "-1e309", "1.7976931348623157e308", "9007199254740993", "-9007199254740993", "1.5", "4.9e-324", "1e400"];
    for (const n of edgeNumbers) {
      await judge(`priority ${n}`, await api("/v1/executions", { body: `{"template":"deep-target","priority":${n},"params":{"n":1}}`, headers: { "content-type": "application/json" } }));
      await judge(`integer param ${n}`, await api("/v1/executions", { body: `{"template":"deep-target","params":{"n":${n}}}`, headers: { "content-type": "application/json" } }));
      await judge(`globalConcurrency ${n}`, await api("/v1/config", { method: "PUT", body: `{"globalConcurrency":${n}}`, headers: { "content-type": "application/json" } }));
      await judge(`expiresInSeconds ${n}`, await api("/v1/tokens", { body: `{"name":"edge","expiresInSeconds":${n}}`, headers: { "content-type": "application/json" } }));
    }

    // Chunked bodies with no Content-Length, far over every cap: refused once the cap is passed, not read whole.
    const CHUNK = 64 * 1024;
    const endless = () => {
      let pulled = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pulled >= 8 * 1024 * 1024) return controller.close();
          pulled += CHUNK;
          controller.enqueue(new TextEncoder().encode(`{"x":"${"a".repeat(CHUNK - 8)}",`.slice(0, CHUNK)));
        },
      });
      return { stream, pulled: () => pulled };
    };
    const chunked: [string, number, (body: ReadableStream<Uint8Array>) => Promise<Response>][] = [
      ["console sign-in", 16 * 1024, (body) => consoleFetch("/auth/sign-in", { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body })],
      ["console proxy", 1024 * 1024, (body) => consoleFetch("/api/v1/executions", { method: "POST", session, headers: { "content-type": "application/json", accept: "application/json" }, body })],
      ["API", 1024 * 1024, (body) => exports.default.fetch(new Request("http://baton.test/v1/executions", { method: "POST", headers: { authorization: "Bearer test-token", "content-type": "application/json" }, body }))],
    ];
    for (const [what, cap, send] of chunked) {
      const body = endless();
      const response = await send(body.stream);
      await judge(`chunked body to the ${what}`, response);
      // The stream may run a few chunks ahead of the reader; never the whole 8 MB.
      if (body.pulled() > cap + 8 * CHUNK) failures.push(`${what} read ${body.pulled()} bytes of a body capped at ${cap}`);
    }

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(failures).toEqual([]);
    expect(tally).toMatchObject({ fiveXx: 0, rowsChanged: 0 });
    expect(tally.fourXx).toBe(tally.sent);
    console.log(`hostile input (deep): ${tally.sent} requests sent, ${tally.fourXx} 4xx, ${tally.fiveXx} 5xx, ${tally.rowsChanged} rows changed`);
  }, 300_000);
});
