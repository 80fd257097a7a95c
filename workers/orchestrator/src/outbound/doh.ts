/**
 * Where a host name points, asked over DNS-over-HTTPS (the JSON API of Cloudflare's resolver), since a
 * Worker has no resolver of its own. Answers are kept per isolate for their TTL (at least a minute,
 * at most an hour) so that a busy agent is not looked up on every call.
 */
import { readCapped } from "#shared/read-capped.ts";

export const DOH_ENDPOINT = "https://cloudflare-dns.com/dns-query";
const LOOKUP_TIMEOUT_MS = 3000;
const MAX_ANSWER_BYTES = 64 * 1024;

export type Resolution = { ok: true; addresses: string[] } | { ok: false; message: string };

const cache = new Map<string, { until: number; resolution: Resolution }>();

export async function resolveAddresses(host: string, now = Date.now()): Promise<Resolution> {
  const name = host.toLowerCase();
  const hit = cache.get(name);
  if (hit && hit.until > now) return hit.resolution;
  const answers = await Promise.all([lookup(name, "A"), lookup(name, "AAAA")]);
  const failed = answers.find((answer) => !answer.ok);
  if (failed && !failed.ok) return { ok: false, message: failed.message };
  const addresses = answers.flatMap((answer) => (answer.ok ? answer.addresses : []));
  const ttl = Math.min(3600, Math.max(60, ...answers.map((answer) => (answer.ok ? answer.ttl : 60))));
  const resolution: Resolution = addresses.length > 0 ? { ok: true, addresses } : { ok: false, message: "the name has no address" };
  if (cache.size > 1000) cache.clear();
  cache.set(name, { until: now + ttl * 1000, resolution });
  return resolution;
}

async function lookup(name: string, type: "A" | "AAAA"): Promise<{ ok: true; addresses: string[]; ttl: number } | { ok: false; message: string }> {
  try {
    const response = await fetch(`${DOH_ENDPOINT}?name=${encodeURIComponent(name)}&type=${type}`, {
      headers: { accept: "application/dns-json" },
      signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
    });
    const text = await readCapped(response, MAX_ANSWER_BYTES);
    if (!response.ok || text === null) return { ok: false, message: `the DNS lookup answered HTTP ${response.status}` };
    const body = JSON.parse(text) as { Status?: number; Answer?: { type?: number; data?: string; TTL?: number }[] };
    // Status 3 (NXDOMAIN) is an answer: no addresses of this type.
    if (body.Status !== 0 && body.Status !== 3) return { ok: false, message: `the DNS lookup failed (status ${body.Status})` };
    const wanted = type === "A" ? 1 : 28;
    const records = (body.Answer ?? []).filter((record) => record.type === wanted && typeof record.data === "string");
    return { ok: true, addresses: records.map((record) => record.data!), ttl: Math.min(...records.map((r) => r.TTL ?? 60), 3600) };
  } catch (error) {
    return { ok: false, message: `the DNS lookup did not answer (${error instanceof Error ? error.name : "error"})` };
  }
}
