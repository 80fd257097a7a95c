/**
 * The template read of a start, shared by a burst of starts. A template version never changes, but which
 * version is the latest and whether the template is archived do; so a read is reused for
 * TEMPLATE_REUSE_MS (and forgotten at once when this isolate saves or archives the template).
 *
 * A burst of starts asks before the first answer is there. They must not await the first one's promise:
 * a promise made in one request and awaited in another hangs the second when the first is cancelled
 * (cloudflare/workerd#210: "The script will never generate a response"). So only *results* cross
 * requests: the first start marks the read as under way and does it; the others wait on their own
 * timers for its result to appear, and read for themselves when it does not appear in time (the first
 * was cancelled, or D1 is slow).
 *
 * The caller passes the read itself (`templates/store.ts`'s getTemplate), because the store calls
 * `forgetTemplate` here when it saves: this module stays below the store, not beside it in a circle.
 */
import type { TemplateRecord } from "#shared/api/templates.ts";

export const TEMPLATE_REUSE_MS = 1_000;
/** How long a start waits for another's read before it reads itself. */
const WAIT_FOR_OTHERS_MS = 250;
const POLL_MS = 2;
const MAX_ENTRIES = 500;

const results = new Map<string, { record: TemplateRecord; at: number }>();
const underWay = new Map<string, number>();

const keyOf = (id: string, version: number | undefined) => `${id}\u0000${version ?? "latest"}`;

export async function templateForStart(
  id: string,
  version: number | undefined,
  read: () => Promise<TemplateRecord | undefined>,
): Promise<TemplateRecord | undefined> {
  const key = keyOf(id, version);
  const deadline = Date.now() + WAIT_FOR_OTHERS_MS;
  for (;;) {
    const hit = results.get(key);
    if (hit && Date.now() - hit.at < TEMPLATE_REUSE_MS) return hit.record;
    const since = underWay.get(key);
    if (since === undefined || Date.now() - since >= WAIT_FOR_OTHERS_MS || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const startedAt = Date.now();
  underWay.set(key, startedAt);
  try {
    const record = await read();
    if (record) remember(key, record, startedAt);
    return record;
  } finally {
    if (underWay.get(key) === startedAt) underWay.delete(key);
  }
}

/** This isolate saved or archived the template: its next start reads it again. */
export function forgetTemplate(id: string): void {
  for (const key of results.keys()) if (key.startsWith(`${id}\u0000`)) results.delete(key);
}

function remember(key: string, record: TemplateRecord, at: number): void {
  if (results.size >= MAX_ENTRIES) results.delete(results.keys().next().value!);
  results.set(key, { record, at });
  // The latest version is also that version: a start pinned to it finds it too.
  if (key.endsWith("\u0000latest")) results.set(keyOf(record.definition.id, record.version), { record, at });
}
