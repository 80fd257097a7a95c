/**
 * What `--watch` shows of a streaming step: the last line its agent wrote so far, from the `step.stream`
 * events (`{ stepId, item?, attempt, chunk, index }`). Only the end of the text is kept, enough to hold
 * a line that is still being written; a new attempt starts afresh. Pure.
 */
import type { ExecutionEvent } from "#shared/execution.ts";

/** Raw text kept per step: the last line of it is what is shown, and no display is wider than this. */
const KEEP_CHARS = 1_000;

export type StreamTexts = ReadonlyMap<string, string>;

/** The texts after `event`: a chunk appended to its step's text; a step starting or retrying cleared. */
export function applyStreamEvent(texts: StreamTexts, event: ExecutionEvent): StreamTexts {
  const stepId = event.data.stepId;
  // A string: the shared list of event types does not name `step.stream` yet (the engine adds it).
  const type: string = event.type;
  if (typeof stepId !== "string") return texts;
  if (type === "step.stream") {
    const chunk = event.data.chunk;
    const text = typeof chunk === "string" ? chunk : `\n${JSON.stringify(chunk)}\n`;
    return new Map(texts).set(stepId, `${texts.get(stepId) ?? ""}${text}`.slice(-KEEP_CHARS));
  }
  if ((type === "step.started" || type === "step.retrying") && event.data.item === undefined && texts.has(stepId)) {
    const next = new Map(texts);
    next.delete(stepId);
    return next;
  }
  return texts;
}

/** The last line of each step's text that is not blank, by step id. */
export function lastLines(texts: StreamTexts): Map<string, string> {
  const lines = new Map<string, string>();
  for (const [stepId, text] of texts) {
    const last = text
      .split(/\r\n|\r|\n/)
      .map((line) => line.trim())
      .findLast((line) => line !== "");
    if (last) lines.set(stepId, last);
  }
  return lines;
}
