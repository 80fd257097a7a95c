/**
 * Crash (issue 8, item 3): `executions` executions of three slow steps each, kill -9 of the whole runtime
 * (wrangler and every workerd) while they run, a start on the same state → all complete, none stuck. A
 * client following one execution's events through the crash reconnects with `Last-Event-ID` and, with
 * what it had before, holds that execution's full log exactly once, in order.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { sseMessages } from "#shared/client/sse.ts";
import type { LocalStack } from "../../bench/local-stack.ts";
import { Api, check, countStatuses, type ScenarioResult, waitForEnd } from "./api.ts";
import type { StackHandle } from "./stack.ts";

export interface CrashOptions {
  executions: number;
  runId: string;
  /** How long after the last start the runtime is killed. */
  killAfterMs: number;
  timeoutMs: number;
}

const STEP_DELAY_MS = 1_500;
const RETRY_LIMIT = 2;
/** A step that was running at the kill is run again once its attempt's deadline passed: kept short so the run is. */
const STEP_TIMEOUT_MS = 10_000;

interface Followed {
  ids: string[];
  types: string[];
  /** "closed": the server ended the stream; "broken": the connection failed (the crash). */
  end: "closed" | "broken";
}

/** Reads one execution's event stream from `lastEventId` on, until the server closes it or it breaks. */
function follow(stack: Pick<LocalStack, "url" | "token">, executionId: string, lastEventId: string | undefined, signal: AbortSignal): { done: Promise<Followed>; seen: Followed } {
  const seen: Followed = { ids: [], types: [], end: "broken" };
  const done = (async () => {
    try {
      const response = await fetch(`${stack.url}/v1/executions/${executionId}/events`, {
        headers: { authorization: `Bearer ${stack.token}`, accept: "text/event-stream", ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
        signal,
      });
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      for await (const message of sseMessages(response.body)) {
        if (message.id === null) continue;
        seen.ids.push(message.id);
        seen.types.push(message.event);
      }
      seen.end = "closed";
    } catch {
      seen.end = "broken";
    }
    return seen;
  })();
  return { done, seen };
}

export async function run(handle: StackHandle, options: CrashOptions): Promise<ScenarioResult> {
  const began = Date.now();
  let api = new Api(handle.current);
  const scope = `crash-${options.runId}`;
  const template = `rel-crash-${options.runId}`;
  const step = (id: string) => ({ id, agent: "flaky", input: { scope, delayMs: STEP_DELAY_MS }, retry: { limit: RETRY_LIMIT, delayMs: 100 }, timeoutMs: STEP_TIMEOUT_MS });
  await api.putTemplate({ id: template, name: "Reliability: crash", steps: [step("a"), { ...step("b"), needs: ["a"] }, { ...step("c"), needs: ["b"] }] });
  await api.call("PUT", "/v1/config", { globalConcurrency: 50 });

  const { ids } = await api.startMany(template, options.executions, 50);
  const watched = ids[ids.length - 1] ?? "";
  const stopFollowing = new AbortController();
  const before = follow(handle.current, watched, undefined, stopFollowing.signal);
  await sleep(options.killAfterMs);
  const atKill = countStatuses(ids, await api.statuses(template));
  const kill = await handle.current.kill();
  const killedAt = Date.now();
  const eventsBefore = await Promise.race([before.done, sleep(10_000).then(() => before.seen)]);
  stopFollowing.abort();

  const stack = await handle.restart();
  const restartSeconds = (Date.now() - killedAt) / 1000;
  api = new Api(stack);
  const lastId = eventsBefore.ids[eventsBefore.ids.length - 1];
  const after = await Promise.race([follow(stack, watched, lastId, AbortSignal.timeout(options.timeoutMs)).done, sleep(options.timeoutMs + 1_000).then(() => undefined)]);
  const statuses = await waitForEnd(api, template, ids, options.timeoutMs);
  const recoverSeconds = (Date.now() - killedAt) / 1000;
  const counts = countStatuses(ids, statuses);
  const full = await follow(stack, watched, undefined, AbortSignal.timeout(30_000)).done;
  const joined = [...eventsBefore.ids, ...(after?.ids ?? [])];
  const duplicates = joined.length - new Set(joined).size;
  const sameLog = full.end === "closed" && after?.end === "closed" && joined.join(",") === full.ids.join(",");
  const tally = await api.tally(scope, 1 + RETRY_LIMIT);

  return {
    name: "crash",
    seconds: (Date.now() - began) / 1000,
    checks: [
      check("crash: killed mid-flight", kill.kind !== "error" && (atKill.running ?? 0) + (atKill.queued ?? 0) > 0, `at the kill: ${JSON.stringify(atKill)}; wrangler ${JSON.stringify(kill)}`),
      check("crash: all executions complete after the restart", counts.completed === options.executions, `${counts.completed ?? 0}/${options.executions} completed (${JSON.stringify(counts)}), ${recoverSeconds.toFixed(1)} s after the kill`),
      check(
        "crash: SSE resumes with Last-Event-ID, every event once",
        sameLog && duplicates === 0,
        `${eventsBefore.ids.length} events before the kill (last id ${lastId ?? "none"}), ${after?.ids.length ?? "no"} after the reconnect (${after?.end ?? "timed out"}), full log ${full.ids.length} (${full.end}); ${duplicates} duplicates${sameLog ? "" : `; joined ${joined.join(",")} vs full ${full.ids.join(",")}`}`,
      ),
    ],
    metrics: {
      executions: options.executions,
      atKill,
      restartSeconds,
      recoverSeconds,
      sseBefore: eventsBefore.ids.length,
      sseAfter: after?.ids.length ?? null,
      sseFull: full.ids.length,
      // At-least-once: a step running at the kill is called again after it, under the same key.
      calls: tally.calls,
      keys: tally.keys,
      maxCallsPerKey: tally.maxPerKey,
      callsHistogram: tally.histogram,
    },
  };
}
