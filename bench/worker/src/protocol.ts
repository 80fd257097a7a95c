/**
 * What the bench Worker and `bench/run.ts` say to each other. Times are epoch milliseconds from the
 * runtime's clock, the same host clock the Node side reads, so the two can be compared.
 */

/** One chain of no-op agent steps, run to its end. */
export interface ChainTiming {
  /** The Durable Object name or the Workflow instance id. */
  id: string;
  /** When the chain's code began (inside the DO or the Workflow's `run`). */
  startedAt: number;
  /** When each step's result was recorded (after its SQLite write or its `step.do` returned), in order. */
  stepTimes: number[];
  /** When the chain finished: its last step recorded. */
  completedAt: number;
  /** The floor only: SQLite rows its statements reported written. */
  rowsWritten?: number;
}

/** `POST /bench/rows`: the SQLite rows Baton's execution objects report written, summed. */
export interface RowsRequest {
  ids: string[];
}

export interface RowsReport {
  rowsWritten: number;
  /** Executions whose object answered (one evicted since its run has lost its count). */
  counted: number;
}

/** `POST /bench/floor` and `POST /bench/workflows`: run `chains` chains of `steps` steps at once. */
export interface RunRequest {
  /** Unique per run: names the objects and instances, so runs never share state. */
  runId: string;
  chains: number;
  steps: number;
  /** Workflows only: how long to wait for every instance to report before answering anyway. */
  timeoutMs?: number;
}

export interface RunReport {
  /** Chains that finished, in any order. */
  chains: ChainTiming[];
  /** Workflows only: the instances' final statuses, counted (`complete` for all, when nothing went wrong). */
  statuses?: Record<string, number>;
}

/** The step output the echo agent returns for the bench's `{ value }` input. */
export interface EchoOutput {
  value: number | null;
  attempt: number;
}

/** `POST /bench/baton`: start `executions` executions of `template` at once over Baton's RPC entrypoint. */
export interface BatonStartRequest {
  template: string;
  executions: number;
}

export interface BatonStartReport {
  /** The ids of the executions started; the caller follows them (`GET /v1/events`). */
  ids: string[];
}
