/**
 * What an admin can do to a whole execution from its page: pause, resume, retry and cancel (with a
 * confirmation and an optional reason). Each action answers with the execution's new state.
 */
import { type ExecutionState, terminalExecutionStatuses } from "../../../../shared/execution.ts";
import { useConfirm } from "../../components/confirm.tsx";
import { notify } from "../../components/toasts.tsx";
import { baton, describeError } from "../../lib/api.ts";

type Action = "cancel" | "pause" | "resume" | "retry";

const done: Record<Action, string> = {
  cancel: "Cancelled",
  pause: "Paused: running steps finish, nothing new starts",
  resume: "Resumed",
  retry: "Retrying the failed steps",
};

export function ExecutionActions({ state, onChange }: { state: ExecutionState; onChange(state: ExecutionState): void }) {
  const { element: dialog, confirm } = useConfirm();

  async function act(action: Action): Promise<void> {
    let options: { reason?: string } = {};
    if (action === "cancel") {
      const answer = await confirm({
        title: "Cancel this execution?",
        body: "Running steps are abandoned and nothing more starts. It cannot be resumed; a retry starts its failed steps again.",
        confirmLabel: "Cancel execution",
        danger: true,
        reason: true,
      });
      if (!answer) return;
      if (answer.reason) options = { reason: answer.reason };
    }
    try {
      const next =
        action === "cancel"
          ? await baton.executions.cancel(state.id, options)
          : action === "pause"
            ? await baton.executions.pause(state.id)
            : action === "resume"
              ? await baton.executions.resume(state.id)
              : await baton.executions.retry(state.id);
      onChange(next);
      notify(done[action]);
    } catch (error) {
      notify(`Could not ${action}: ${describeError(error)}`, "error");
    }
  }

  const active = !terminalExecutionStatuses.has(state.status);
  return (
    <>
      {dialog}
      <div class="page-actions">
      {state.status === "paused" ? (
        <button type="button" class="button" onClick={() => void act("resume")}>
          Resume
        </button>
      ) : null}
      {active && state.status !== "paused" ? (
        <button type="button" class="button" onClick={() => void act("pause")}>
          Pause
        </button>
      ) : null}
      {state.status === "failed" || state.status === "cancelled" ? (
        <button type="button" class="button" onClick={() => void act("retry")}>
          Retry
        </button>
      ) : null}
      {active ? (
        <button type="button" class="button button-danger-quiet" onClick={() => void act("cancel")}>
          Cancel
        </button>
      ) : null}
      </div>
    </>
  );
}
