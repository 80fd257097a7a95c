/** An execution's event stream (SSE bytes, for HTTP and RPC alike) and the log lines its agents wrote. */
import type { LogFilters, LogLine, LogPage } from "#shared/api/executions.ts";
import { DomainError } from "../errors.ts";
import type { Caller } from "./caller.ts";
import { existingExecution, requireVisible } from "./executions.ts";

const PAGE = 1000;
const levelRank = { debug: 0, info: 1, warn: 2, error: 3 } as const;

/** Every event after `after`, then live ones until the execution ends (then the stream closes). */
export async function eventStream(caller: Caller, id: string, after = 0): Promise<ReadableStream<Uint8Array>> {
  await requireVisible(caller, id);
  const stream = await existingExecution(caller.env, id).stream(after);
  if (!stream) throw new DomainError("not_found", `No execution "${id}".`);
  return stream;
}

export async function logs(caller: Caller, id: string, filters: LogFilters): Promise<LogPage> {
  await requireVisible(caller, id);
  const { level, step, q } = filters;
  const limit = filters.limit ?? 200;
  const needle = q?.toLowerCase();
  const stub = existingExecution(caller.env, id);
  const lines: LogLine[] = [];
  let cursor = filters.after ?? 0;
  for (;;) {
    const page = await stub.events(cursor, PAGE, ["step.log"]);
    if (!page) throw new DomainError("not_found", `No execution "${id}".`);
    for (const event of page) {
      cursor = event.seq;
      const data = event.data as Omit<LogLine, "seq" | "at">;
      if (level && levelRank[data.level] < levelRank[level]) continue;
      if (step && data.stepId !== step) continue;
      if (needle && !data.message.toLowerCase().includes(needle)) continue;
      lines.push({
        seq: event.seq,
        at: event.at,
        stepId: data.stepId,
        attempt: data.attempt,
        level: data.level,
        message: data.message,
        ...(data.item !== undefined ? { item: data.item } : {}),
      });
      if (lines.length >= limit) return { logs: lines, nextAfter: cursor };
    }
    if (page.length < PAGE) return { logs: lines, nextAfter: null };
  }
}
