/** Approvals: every step that waits for an admin, oldest first, with its message and deadline; decide here. */
import { ApprovalForm } from "../components/approval-form.tsx";
import { Link } from "../components/link.tsx";
import { Empty, Guard } from "../components/states.tsx";
import { baton } from "../lib/api.ts";
import { formatRelative, formatTime, formatUsd, previewJson } from "../lib/format.ts";
import { useLiveEvents } from "../lib/live.ts";
import { useNow, useResource, useThrottled } from "../lib/use-resource.ts";

/** What the decision is about: the execution's params, how far it got and what it cost so far. */
function ApprovalContext({ executionId }: { executionId: string }) {
  const execution = useResource(() => baton.executions.get(executionId), [executionId]);
  const state = execution.data;
  if (!state) return null;
  const done = state.steps.filter((s) => s.status === "completed" || s.status === "skipped").length;
  return (
    <div class="approval-context">
      {Object.entries(state.params).map(([key, value]) => (
        <span key={key} class="chip">
          <span class="muted">{key}</span> {previewJson(value, 60)}
        </span>
      ))}
      <span class="muted small">
        {done}/{state.steps.length} steps done · {formatUsd(state.costUsd)} so far · started by {state.createdBy}
      </span>
    </div>
  );
}

export function ApprovalsView() {
  const approvals = useResource(() => baton.approvals.list(), [], { refreshMs: 15_000 });
  const reload = useThrottled(approvals.reload, 300);
  useLiveEvents((event) => {
    if (event.type.startsWith("approval.") || event.type.startsWith("execution.")) reload();
  });
  const now = useNow(5000);

  return (
    <section>
      <div class="page-head">
        <h1>Approvals</h1>
      </div>
      <Guard resource={approvals} label="Loading approvals…">
        {(list) =>
          list.length === 0 ? (
            <Empty title="Nothing waits for a decision">Approval steps show up here as soon as an execution reaches one.</Empty>
          ) : (
            <ul class="approval-list">
              {list.map((approval) => (
                <li key={`${approval.executionId}:${approval.stepId}`} class="panel panel-attention">
                  <div class="panel-head">
                    <h2 class="panel-title">
                      {approval.templateId} · {approval.stepId === "$start" ? "start" : approval.stepId}
                    </h2>
                    <Link href={`/executions/${encodeURIComponent(approval.executionId)}`} class="mono">
                      {approval.executionId}
                    </Link>
                  </div>
                  <p class="approval-message">{approval.message ?? (approval.stepId === "$start" ? "Approve this execution to let it start." : "Approve to go on.")}</p>
                  <ApprovalContext executionId={approval.executionId} />
                  <p class="muted small">
                    Waiting since <span title={formatTime(approval.waitingSince)}>{formatRelative(approval.waitingSince, now)}</span>
                    {approval.timeoutAt ? (
                      <>
                        {" "}
                        · times out <span title={formatTime(approval.timeoutAt)}>{formatRelative(approval.timeoutAt, now)}</span>
                      </>
                    ) : null}
                  </p>
                  <ApprovalForm executionId={approval.executionId} stepId={approval.stepId} onDecided={approvals.reload} />
                </li>
              ))}
            </ul>
          )
        }
      </Guard>
    </section>
  );
}
