/**
 * Time as an input. The alarm (or a restart) asks the core what is due: a retry, a wait's end, an
 * approval's timeout, an attempt past its deadline, a child to look at. After every turn the core says
 * when it next needs to be asked, and the shell keeps the alarm at or before that.
 */
import type { AgentStep } from "#shared/template.ts";
import { attemptFailed, startAttempt } from "./attempts.ts";
import { attemptInput } from "./inputs.ts";
import { WATCHDOG_MS } from "./limits.ts";
import { pump } from "./pump.ts";
import { failStep } from "./settle.ts";
import type { ItemState, StepState } from "./state.ts";
import { keyOf, type Turn } from "./turn.ts";
import { settleApproval, startPipeline } from "./waits.ts";

/** An attempt's own timer ends it at its deadline; the alarm is the backstop a little after. */
const DEADLINE_GRACE_MS = 1_000;

const over = (turn: Turn) => ["completed", "failed", "cancelled"].includes(turn.state.status);

/** Each running attempt was cut short by the restart that loaded this instance. */
export function restarted(turn: Turn): void {
  if (over(turn)) return;
  forEachTarget(turn, (step, item, target) => {
    if (target.status !== "running" || step.type !== "agent" || (item === null && turn.step(step.id).fanOut)) return;
    attemptFailed(turn, step, item, { code: "interrupted", message: "The attempt was interrupted by a restart." }, true, true);
  });
  timerFired(turn);
}

export function timerFired(turn: Turn): void {
  const { state } = turn;
  if (over(turn)) return;
  if (state.status === "queued") return turn.command({ type: "enqueue" });
  if (state.startApproval !== null) return;
  const now = turn.now;
  forEachTarget(turn, (step, item, target) => {
    if (over(turn)) return;
    const wakeAt = turn.volatile.wakeAt.get(keyOf(step.id, item)) ?? target.wakeAt;
    if (target.status === "running" && step.type === "agent" && target.deadlineAt !== null && now >= target.deadlineAt + DEADLINE_GRACE_MS) {
      attemptFailed(turn, step, item, { code: "timeout", message: `The attempt passed its deadline (${new Date(target.deadlineAt).toISOString()}).` }, true, false);
    } else if (target.status === "running" && step.type === "pipeline" && item === null) {
      const whole = target as StepState;
      if (whole.deadlineAt !== null && now >= whole.deadlineAt) {
        if (whole.childExecutionId) turn.command({ type: "cancel-child", childId: whole.childExecutionId, reason: "the parent step timed out" });
        failStep(turn, step.id, null, { code: "timeout", message: `The child pipeline did not end by ${new Date(whole.deadlineAt).toISOString()}.` });
      } else if (whole.childExecutionId) {
        turn.command({ type: "check-child", stepId: step.id, childId: whole.childExecutionId });
      } else if (whole.startedAt !== null && now - whole.startedAt > WATCHDOG_MS) {
        startPipeline(turn, step, true);
      }
    } else if ((target.status === "retrying" || target.status === "waiting") && step.type === "agent" && wakeAt !== null && wakeAt <= now) {
      if (state.status !== "paused") startAttempt(turn, step as AgentStep, item, attemptInput(turn, step.id, item));
    } else if (target.status === "waiting" && step.type === "approval" && wakeAt !== null && wakeAt <= now) {
      settleApproval(turn, step.id, step.onTimeout === "approve", "system:timeout", "timed out");
    }
  });
  pump(turn);
}

/** The moment the core next needs the alarm, or null when nothing is due. */
export function nextAlarm(turn: Turn): number | null {
  const { state, volatile } = turn;
  if (over(turn) || state.startApproval !== null) return null;
  const now = turn.now;
  if (state.status === "queued") return now + WATCHDOG_MS;
  const watchdog = now >= volatile.dispatcherWatchesUntil;
  let next = Number.POSITIVE_INFINITY;
  forEachTarget(turn, (step, item, target) => {
    if (target.status === "running" && watchdog) {
      next = Math.min(next, now + WATCHDOG_MS, target.deadlineAt === null ? next : target.deadlineAt + DEADLINE_GRACE_MS);
    }
    const wakeAt = volatile.wakeAt.get(keyOf(step.id, item)) ?? target.wakeAt;
    if ((target.status === "retrying" || target.status === "waiting") && wakeAt !== null) next = Math.min(next, wakeAt);
  });
  return Number.isFinite(next) ? next : null;
}

type Visit = (step: import("#shared/template.ts").Step, item: number | null, target: StepState | ItemState) => void;

/** Visits every step and every active forEach item (a snapshot: visiting may change them). */
function forEachTarget(turn: Turn, visit: Visit): void {
  for (const step of turn.state.template.steps) {
    const whole = turn.state.steps[step.id];
    if (!whole) continue;
    visit(step, null, whole);
    const active = whole.fanOut?.active;
    if (!active) continue;
    for (const index of Object.keys(active)) {
      const item = whole.fanOut?.active[Number(index)];
      if (item) visit(step, Number(index), item);
    }
  }
}
