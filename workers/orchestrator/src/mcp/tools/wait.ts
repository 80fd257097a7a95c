/**
 * `wait_for_execution`: waits until an execution ends or the timeout passes, sending an MCP progress
 * notification each time a step finishes or an approval is needed. It reads the execution's event log
 * (the same one SSE replays), so nothing between two looks is missed.
 *
 * It also returns as soon as the execution waits for an approval and nothing else runs: nothing can
 * happen until someone decides, and the assistant may be the one to ask (or to decide).
 */
import { z } from "zod";
import { type EventType, type ExecutionEvent, type ExecutionState, terminalExecutionStatuses } from "#shared/execution.ts";
import { existingExecution } from "../../services/executions.ts";
import { visibleExecution } from "../access.ts";
import { defineTool } from "../tool.ts";
import { trimExecution } from "../trim.ts";
import { executionId } from "./executions.ts";

export const MAX_WAIT_SECONDS = 300;
const POLL_MS = 250;
const WATCHED: EventType[] = [
  "step.completed",
  "step.failed",
  "approval.required",
  "execution.completed",
  "execution.failed",
  "execution.cancelled",
];

function describe(event: ExecutionEvent): string {
  const step = typeof event.data.stepId === "string" ? event.data.stepId : "";
  switch (event.type) {
    case "step.completed":
      return `step ${step} completed`;
    case "step.failed":
      return `step ${step} failed`;
    case "approval.required":
      return `step ${step} waits for approval (approve_step or reject_step)`;
    default:
      return event.type.replace("execution.", "execution ");
  }
}

/** The approvals an execution is blocked on: it waits, and no step is running. */
function blockedOnApprovals(state: ExecutionState): string[] {
  if (state.status !== "waiting") return [];
  if (state.startedAt === null) return ["$start"];
  if (state.steps.some((step) => step.status === "running" || step.status === "retrying")) return [];
  return state.steps.filter((step) => step.type === "approval" && step.status === "waiting").map((step) => step.id);
}

export const waitForExecution = defineTool({
  name: "wait_for_execution",
  description:
    `Wait until an execution ends (or timeoutSeconds pass, at most ${MAX_WAIT_SECONDS}), with a progress notification ` +
    "as each step finishes. Returns the final state; or, early, the state when it waits for an approval and nothing " +
    "else runs (waitingForApproval lists the steps: see approve_step); or where it stands at the timeout (timedOut: true).",
  input: z.object({
    id: executionId,
    timeoutSeconds: z.number().min(0).max(MAX_WAIT_SECONDS).default(60),
  }),
  async run({ id, timeoutSeconds }, { caller, mcp, progress, signal }) {
    const first = await visibleExecution(caller, mcp, id);
    const stub = existingExecution(caller.env, id);
    const total = first.steps.length;
    const deadline = Date.now() + timeoutSeconds * 1000;
    let cursor = 0;
    let finished = 0;
    for (;;) {
      const events = (await stub.events(cursor, 200, WATCHED)) ?? [];
      let ended = false;
      for (const event of events) {
        cursor = event.seq;
        if (event.type === "step.completed" || event.type === "step.failed") finished += 1;
        if (event.type.startsWith("execution.")) ended = true;
        await progress(Math.min(finished, total), total, describe(event));
      }
      if (events.length === 200) continue;
      const state = await visibleExecution(caller, mcp, id);
      if (ended || terminalExecutionStatuses.has(state.status)) return { ...trimExecution(state), timedOut: false };
      const approvals = blockedOnApprovals(state);
      if (approvals.length > 0) return { ...trimExecution(state), timedOut: false, waitingForApproval: approvals };
      if (Date.now() >= deadline || signal.aborted) return { ...trimExecution(state), timedOut: true };
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
    }
  },
});
