/**
 * Proves that hostile input never breaks the API: a bounded, seeded fuzz of every route the router has
 * (malformed JSON, wrong types, huge bodies and numbers, unicode, odd path parameters, wrong methods,
 * missing and wrong tokens) gets only 4xx answers in the error format, never a 5xx, and no request that
 * was refused changed a stored row. It does not prove the console proxy (test/console covers that).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApi } from "../../workers/orchestrator/src/api/app.ts";
import { api } from "../support/api.ts";
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
          const text = await response.text();
          let parsed: { error?: { code?: unknown; message?: unknown } } = {};
          try {
            parsed = JSON.parse(text);
          } catch {
            failures.push(`${what} → ${response.status} with a non-JSON body: ${text.slice(0, 120)}`);
          }
          if (typeof parsed.error?.code !== "string" || typeof parsed.error?.message !== "string") failures.push(`${what} → ${response.status} not in the error format`);
          const after = await snapshot();
          if (after !== before) failures.push(`${what} → ${response.status} but stored rows changed: ${changedTables(before, after).join(", ")}`);
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
  }, 300_000);
});
