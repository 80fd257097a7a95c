/**
 * The bench workload on Baton: chains of `echo` steps with no delay, started over the public API
 * (`POST /v1/executions`) or inside the runtime (the bench Worker's `POST /bench/baton`), their ends
 * learnt from the live feed, their step timings read afterwards from each execution's own event stream
 * (a finished one replays and closes), so that nothing watches the executions while they run unless the
 * measurement is about watching.
 */
import type { BatonClient } from "#shared/client/index.ts";
import { sseMessages } from "#shared/client/sse.ts";
import type { ExecutionEvent } from "#shared/execution.ts";
import type { LiveFeed } from "./live-feed.ts";
import type { BatonStartReport, BatonStartRequest } from "./worker/src/protocol.ts";

/** How long the first step of a watched chain waits, so that its watcher is subscribed before the rest runs. */
const WATCHED_FIRST_STEP_DELAY_MS = 500;
/**
 * Every other step of a watched chain waits this long in the agent: a chain of calls that never waits on a
 * timer keeps the local runtime from serving its sockets (bench/README.md, "Local runtime caveat"), so an
 * SSE frame would wait for the whole chain. An agent that yields is what real agents are.
 */
export const WATCHED_STEP_DELAY_MS = 5;

/**
 * The bench template of `steps` echo steps in a chain, each with its step number as input and no delay;
 * a `watched` chain's first step waits a moment and the others WATCHED_STEP_DELAY_MS (see `sseLatencies`).
 */
export function chainTemplate(steps: number, watched = false) {
  return {
    id: `bench-chain-${steps}${watched ? "-watched" : ""}`,
    name: `Bench: chain of ${steps} echo steps${watched ? ", the first one slow" : ""}`,
    description: "Written by `npm run bench`: no-op echo steps one after the other.",
    steps: Array.from({ length: steps }, (_, i) => ({
      id: `s${i + 1}`,
      agent: "echo",
      input: watched ? { value: i + 1, delayMs: i === 0 ? WATCHED_FIRST_STEP_DELAY_MS : WATCHED_STEP_DELAY_MS } : { value: i + 1 },
      ...(i > 0 ? { needs: [`s${i}`] } : {}),
    })),
  };
}

/** The bench template of `steps` echo steps in a chain whose every step waits WATCHED_STEP_DELAY_MS in the agent (a yielding agent). */
export function yieldingTemplate(steps: number) {
  const chain = chainTemplate(steps);
  return {
    ...chain,
    id: `bench-chain-${steps}-yielding`,
    name: `Bench: chain of ${steps} echo steps of ${WATCHED_STEP_DELAY_MS} ms`,
    steps: chain.steps.map((step) => ({ ...step, input: { ...step.input, delayMs: WATCHED_STEP_DELAY_MS } })),
  };
}

/** Steps of each yielding chain whose end the live-feed measurement waits for. */
export const YIELDING_STEPS = 3;

/**
 * One start, split at the events that mark its phases (all times ms; `sent` on the host clock, the rest
 * the server's): request sent → `execution.queued` (the API: auth, template, checks, the object's
 * creation) → `execution.started` (admitted by the dispatcher) → the first `step.started`.
 */
export interface StartSample {
  total: number;
  toQueued: number;
  toStarted: number;
  toFirstStep: number;
}

export interface BatchResult {
  /** The executions of the batch. */
  ids: string[];
  /** Host time just before the first start request. */
  sentAt: number;
  /** Host time when the last start was answered. */
  acceptedAt: number;
  /** What `atEnd` returned, called once every end arrived (or the wait timed out), before anything is read back. */
  atEnd: number | undefined;
  /** Server time of the last execution's end. */
  completedAt: number;
  /** Per execution started over HTTP, its start split in phases (none for starts in the runtime). */
  starts: StartSample[];
  /** Per execution: its end's server time → read from the live feed (`GET /v1/events`). */
  liveFeedLatencies: number[];
  /** What went wrong: executions that failed, did not end in time, or lack steps. */
  problems: string[];
}

/** Server times from a finished execution's events; steps in step order. */
export interface ExecutionTimeline {
  queuedAt: number | undefined;
  startedAt: number | undefined;
  stepStarted: number[];
  stepCompleted: number[];
}

export function startSample(sentAt: number, t: ExecutionTimeline): StartSample | undefined {
  const first = t.stepStarted[0];
  if (t.queuedAt === undefined || t.startedAt === undefined || first === undefined) return undefined;
  return { total: first - sentAt, toQueued: t.queuedAt - sentAt, toStarted: t.startedAt - t.queuedAt, toFirstStep: first - t.startedAt };
}

interface Started {
  id: string;
  sentAt: number;
}

export class BatonWorkload {
  private readonly client: BatonClient;
  private readonly feed: LiveFeed;

  constructor(client: BatonClient, feed: LiveFeed) {
    this.client = client;
    this.feed = feed;
  }

  /** Saves the chain templates the runs use (a new version each time; executions pin theirs). */
  async prepare(stepCounts: readonly number[], watchedSteps: number, globalConcurrency: number): Promise<void> {
    for (const steps of new Set(stepCounts)) await this.client.templates.save(chainTemplate(steps));
    await this.client.templates.save(chainTemplate(watchedSteps, true));
    await this.client.templates.save(yieldingTemplate(YIELDING_STEPS));
    const config = await this.client.config.get();
    if (config.globalConcurrency < globalConcurrency) await this.client.config.update({ globalConcurrency });
  }

  /**
   * Starts `executions` chains of `steps` at once and waits for all to end. `http`: one
   * `POST /v1/executions` each, from here; `runtime`: one request to the bench Worker, which starts them
   * all over the `OrchestratorService` entrypoint, the way the yardsticks start their chains. `atEnd`
   * (e.g. a CPU reading) runs as soon as the ends are in, so that reading the timelines back is not
   * part of what it measures.
   */
  async runBatch(executions: number, steps: number, timeoutMs: number, via: "http" | "runtime", atEnd?: () => number): Promise<BatchResult> {
    const template = chainTemplate(steps).id;
    const sentAt = Date.now();
    const started =
      via === "http"
        ? await Promise.all(Array.from({ length: executions }, () => this.start(template)))
        : (await this.startInRuntime(template, executions)).map((id) => ({ id, sentAt }));
    const acceptedAt = Date.now();
    const ends = await this.feed.waitForEnds(
      started.map((s) => s.id),
      sentAt + timeoutMs,
    );
    const atEndValue = atEnd?.();
    const problems: string[] = [];
    const starts: StartSample[] = [];
    const liveFeedLatencies: number[] = [];
    let completedAt = sentAt;
    for (const { id } of started) {
      const end = ends.get(id);
      if (!end) problems.push(await this.missingEnd(id, timeoutMs));
      else if (end.type !== "execution.completed") problems.push(`execution ${id} ended with ${end.type}`);
      else completedAt = Math.max(completedAt, end.at);
      if (end) liveFeedLatencies.push(end.receivedAt - end.at);
    }
    // Read after the run, a few at a time, so that the reading is not part of what is measured.
    await inBatches(started, 8, async ({ id, sentAt: sent }) => {
      if (!ends.has(id)) return;
      const timeline = await this.timeline(id);
      if (timeline.stepCompleted.length !== steps) problems.push(`execution ${id} completed ${timeline.stepCompleted.length} of ${steps} steps`);
      // Started in the runtime, an execution has no request of its own to time its start from.
      const sample = via === "http" ? startSample(sent, timeline) : undefined;
      if (sample) starts.push(sample);
    });
    return { ids: started.map((s) => s.id), sentAt, acceptedAt, atEnd: atEndValue, completedAt, starts, liveFeedLatencies, problems };
  }

  /** One execution of a `steps` chain, unwatched while it runs; its timeline. */
  async runOne(steps: number, timeoutMs: number): Promise<{ timeline: ExecutionTimeline; problems: string[] }> {
    const { id } = await this.start(chainTemplate(steps).id);
    const problems = await this.awaitEnd(id, timeoutMs);
    const timeline = problems.length === 0 ? await this.timeline(id) : emptyTimeline;
    if (problems.length === 0 && timeline.stepCompleted.length !== steps) {
      problems.push(`execution ${id} completed ${timeline.stepCompleted.length} of ${steps} steps`);
    }
    return { timeline, problems };
  }

  /** Starts of a one-step chain, one at a time (each waits for the one before to end). */
  async startOneAtATime(samples: number, timeoutMs: number): Promise<{ starts: StartSample[]; problems: string[] }> {
    const template = chainTemplate(1).id;
    const starts: StartSample[] = [];
    const problems: string[] = [];
    for (let i = 0; i < samples; i++) {
      const { id, sentAt } = await this.start(template);
      const ended = await this.awaitEnd(id, timeoutMs);
      problems.push(...ended);
      if (ended.length > 0) continue;
      const sample = startSample(sentAt, await this.timeline(id));
      if (sample) starts.push(sample);
      else problems.push(`execution ${id} lacks an execution.queued, execution.started or step.started event`);
    }
    return { starts, problems };
  }

  /**
   * Execution end (its server `at`) → read from the live feed (`GET /v1/events`), for `count` yielding
   * chains run one after another, so the runtime is not busy with a burst of other executions when the
   * end is delivered (the 50-at-once figure measures that instead).
   */
  async liveFeedLatencies(count: number, timeoutMs: number): Promise<{ latencies: number[]; problems: string[] }> {
    const latencies: number[] = [];
    const problems: string[] = [];
    for (let i = 0; i < count; i++) {
      const { id } = await this.start(yieldingTemplate(YIELDING_STEPS).id);
      const end = (await this.feed.waitForEnds([id], Date.now() + timeoutMs)).get(id);
      if (end) latencies.push(end.receivedAt - end.at);
      else problems.push(await this.missingEnd(id, timeoutMs));
    }
    return { latencies, problems };
  }

  /**
   * Event committed (its server `at`) → read by a client following the execution's stream, for one
   * watched `steps` chain, followed from its start: its first step waits, so the stream is open before
   * the others run. Events the server had before the stream opened are replayed backlog, not live
   * delivery, and are left out.
   */
  async sseLatencies(steps: number, timeoutMs: number, signal: AbortSignal): Promise<{ latencies: number[]; problems: string[] }> {
    const { id } = await this.start(chainTemplate(steps, true).id);
    const response = await this.client.http.send("GET", `/v1/executions/${encodeURIComponent(id)}/events`, {
      headers: { accept: "text/event-stream" },
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    const openedAt = Date.now();
    if (!response.body) return { latencies: [], problems: [`the event stream of ${id} has no body`] };
    const latencies: number[] = [];
    let last: string | undefined;
    for await (const message of sseMessages(response.body)) {
      const receivedAt = Date.now();
      const event = JSON.parse(message.data) as ExecutionEvent;
      last = event.type;
      if (event.at >= openedAt) latencies.push(receivedAt - event.at);
    }
    const problems = last === "execution.completed" ? [] : [`the event stream of ${id} ended after ${last ?? "nothing"}, not execution.completed`];
    return { latencies, problems };
  }

  private async startInRuntime(template: string, executions: number): Promise<string[]> {
    const response = await fetch(`${this.client.http.baseUrl}/bench/baton`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ template, executions } satisfies BatonStartRequest),
    });
    if (!response.ok) throw new Error(`POST /bench/baton answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
    return ((await response.json()) as BatonStartReport).ids;
  }

  private async start(template: string): Promise<Started> {
    const sentAt = Date.now();
    const { id } = await this.client.executions.start({ template, params: {} });
    return { id, sentAt };
  }

  private async awaitEnd(id: string, timeoutMs: number): Promise<string[]> {
    const end = (await this.feed.waitForEnds([id], Date.now() + timeoutMs)).get(id);
    if (!end) return [await this.missingEnd(id, timeoutMs)];
    return end.type === "execution.completed" ? [] : [`execution ${id} ended with ${end.type}`];
  }

  /** Why the live feed brought no end for an execution: still going (how far), or an end the feed lost. */
  private async missingEnd(id: string, timeoutMs: number): Promise<string> {
    const state = await this.client.executions.get(id).catch(() => undefined);
    if (!state) return `execution ${id} did not end within ${timeoutMs / 1000} s, and reading its state failed`;
    const done = state.steps.filter((step) => step.status === "completed").length;
    const where = `${state.status}, ${done} of ${state.steps.length} steps completed`;
    return ["completed", "failed", "cancelled"].includes(state.status)
      ? `execution ${id} ended (${where}) but the live feed never delivered its end`
      : `execution ${id} did not end within ${timeoutMs / 1000} s (${where})`;
  }

  /** The timeline of a finished execution, from its replayed events. */
  private async timeline(id: string): Promise<ExecutionTimeline> {
    const timeline: ExecutionTimeline = { queuedAt: undefined, startedAt: undefined, stepStarted: [], stepCompleted: [] };
    const started = new Map<string, number>();
    const completed = new Map<string, number>();
    for await (const event of this.client.executions.events(id)) {
      if (event.type === "execution.queued") timeline.queuedAt ??= event.at;
      if (event.type === "execution.started") timeline.startedAt ??= event.at;
      if (event.type === "step.started" && !started.has(event.data.stepId)) started.set(event.data.stepId, event.at);
      if (event.type === "step.completed") completed.set(event.data.stepId, event.at);
    }
    const inStepOrder = (times: Map<string, number>) => [...times.entries()].sort((a, b) => stepNumber(a[0]) - stepNumber(b[0])).map(([, at]) => at);
    timeline.stepStarted = inStepOrder(started);
    timeline.stepCompleted = inStepOrder(completed);
    return timeline;
  }
}

const emptyTimeline: ExecutionTimeline = { queuedAt: undefined, startedAt: undefined, stepStarted: [], stepCompleted: [] };
const stepNumber = (stepId: string) => Number(stepId.slice(1));

async function inBatches<T>(items: readonly T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(each));
}
