/**
 * The bounds an execution runs under. They come from `/v1/config` (`limits`) when the execution starts
 * and stay fixed for its life, so a config change never moves the goalposts of a run under way.
 */
import { defaultLimits } from "#shared/config.ts";

export interface EngineLimits {
  /** Items one forEach step may fan out to. */
  itemsPerForEach: number;
  /** Events one execution may record; past it the execution fails (`limit_exceeded`). */
  eventsPerExecution: number;
  /** Log lines one step (or one item) may record; later lines are dropped, with one notice. */
  logLinesPerStep: number;
  /** Bytes of one step's output as JSON; a larger output fails the attempt (`output_too_large`). */
  outputBytes: number;
}

/** The defaults of `/v1/config`'s `limits` (a Durable Object's SQLite row holds at most 2 MB: one output fits one row). */
export const DEFAULT_LIMITS: EngineLimits = defaultLimits;
