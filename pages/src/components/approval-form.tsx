/** Approve or reject one waiting approval, with an optional comment (kept in the execution's history). */
import { useState } from "preact/hooks";
import type { ExecutionState } from "../../../shared/execution.ts";
import { baton, describeError } from "../lib/api.ts";
import { FieldError } from "./field-error.tsx";
import { notify } from "./toasts.tsx";

export function ApprovalForm({
  executionId,
  stepId,
  onDecided,
  compact,
}: {
  executionId: string;
  stepId: string;
  onDecided?: (state: ExecutionState) => void;
  compact?: boolean;
}) {
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState<"approve" | "reject" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fieldId = `comment-${executionId}-${stepId}`;

  async function decide(decision: "approve" | "reject"): Promise<void> {
    setBusy(decision);
    setError(null);
    try {
      const options = comment.trim() ? { comment: comment.trim() } : {};
      const state =
        decision === "approve"
          ? await baton.executions.approve(executionId, stepId, options)
          : await baton.executions.reject(executionId, stepId, options);
      notify(decision === "approve" ? `Approved ${stepId === "$start" ? "the start" : `"${stepId}"`}` : `Rejected ${stepId === "$start" ? "the start" : `"${stepId}"`}`);
      onDecided?.(state);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(null);
    }
  }

  return (
    <form class={`approval-form${compact ? " compact" : ""}`} onSubmit={(e) => e.preventDefault()}>
      <label class="visually-hidden" for={fieldId}>
        Comment
      </label>
      <input
        id={fieldId}
        type="text"
        placeholder="Comment (optional)"
        maxLength={2000}
        value={comment}
        onInput={(e) => setComment(e.currentTarget.value)}
      />
      <button type="button" class="button button-approve" disabled={busy !== null} onClick={() => void decide("approve")}>
        {busy === "approve" ? "Approving…" : "Approve"}
      </button>
      <button type="button" class="button button-danger-quiet" disabled={busy !== null} onClick={() => void decide("reject")}>
        {busy === "reject" ? "Rejecting…" : "Reject"}
      </button>
      <FieldError>{error}</FieldError>
    </form>
  );
}
