/**
 * One execution, live: its steps as a graph (or a timeline) updated from its event stream, the details
 * of the chosen step (input, output, error, usage, streamed text, "Fork from here" once it ended), its
 * logs, and the actions an admin can take on it: cancel, pause, resume, retry, and approve or reject
 * what waits for approval. The pieces live beside
 * this file: live.ts (state kept current from the stream), actions.tsx, step-detail.tsx, logs.tsx.
 */
import { useMemo, useState } from "preact/hooks";
import { START_APPROVAL_STEP, type ExecutionState, type StepState, terminalExecutionStatuses } from "../../../../shared/execution.ts";
import { ApprovalForm } from "../../components/approval-form.tsx";
import { JsonView } from "../../components/json-view.tsx";
import { Link } from "../../components/link.tsx";
import { ErrorNotice, Guard } from "../../components/states.tsx";
import { StatusBadge } from "../../components/status.tsx";
import { type StepShape, StepGraph, StepTimeline } from "../../components/step-graph.tsx";
import { baton } from "../../lib/api.ts";
import { formatDuration, formatRelative, formatUsd, previewJson } from "../../lib/format.ts";
import { useNow, useResource } from "../../lib/use-resource.ts";
import { ExecutionActions } from "./actions.tsx";
import { useLiveExecution } from "./live.ts";
import { ExecutionLogs } from "./logs.tsx";
import { StepDetail } from "./step-detail.tsx";

export function ExecutionView({ id }: { id: string }) {
  const execution = useResource(() => baton.executions.get(id), [id]);
  return (
    <section>
      <div class="crumbs">
        <Link href="/history">History</Link> /
      </div>
      <Guard resource={execution} label="Loading the execution…">
        {(state) => <Execution loaded={state} reload={execution.reload} />}
      </Guard>
    </section>
  );
}

function Execution({ loaded, reload }: { loaded: ExecutionState; reload(): void }) {
  const { state, following, liveLogs, streams, accept } = useLiveExecution(loaded, reload);
  const [selected, setSelected] = useState<string | null>(null);
  const [view, setView] = useState<"graph" | "timeline">("graph");
  const now = useNow(1000);
  // The state says what the start waits for (kept current by the stream); no need to ask the approvals list.
  const startApproval = state.startApproval ? state.startApproval.message || "Baton runs in approval mode: every start waits for an admin." : null;

  const definition = useResource(() => baton.templates.get(state.templateId, { version: state.templateVersion }), [state.templateId, state.templateVersion]);
  const shapes = useMemo(() => {
    const map = new Map<string, StepShape>();
    for (const step of definition.data?.definition.steps ?? []) map.set(step.id, { id: step.id, name: step.name, needs: step.needs });
    return map;
  }, [definition.data]);

  const active = !terminalExecutionStatuses.has(state.status);
  const selectedStep = state.steps.find((s) => s.id === selected) ?? null;
  const waitingApprovals = state.steps.filter((s) => s.type === "approval" && s.status === "waiting");
  const duration = state.startedAt ? (state.endedAt ?? now) - state.startedAt : null;

  return (
    <>
      <div class="page-head">
        <div>
          <h1 class="exec-title">
            <Link href={`/pipelines/${encodeURIComponent(state.templateId)}`}>{definition.data?.name ?? state.templateId}</Link>{" "}
            <StatusBadge status={state.status} />
          </h1>
          <p class="muted">
            <span class="mono">{state.id}</span> · v{state.templateVersion} · started by {state.createdBy} {formatRelative(state.createdAt, now)}
            {following === "live" && active ? <span class="pill pill-live">● live</span> : null}
            {following === "reconnecting" ? <span class="pill pill-warn">reconnecting…</span> : null}
            {following === "error" ? <span class="pill pill-error">updates stopped; reload the page</span> : null}
          </p>
        </div>
        <ExecutionActions state={state} onChange={accept} />
      </div>

      <dl class="stats stats-row">
        <div>
          <dt>Steps done</dt>
          <dd>
            {state.steps.filter((s) => s.status === "completed" || s.status === "skipped").length}/{state.steps.length}
          </dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(duration)}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd data-testid="execution-cost">{formatUsd(state.costUsd)}</dd>
        </div>
        <div>
          <dt>Priority</dt>
          <dd>{state.priority}</dd>
        </div>
        <div class="stats-wide">
          <dt>Params</dt>
          <dd class="params">
            {Object.entries(state.params).map(([key, value]) => (
              <span key={key} class="chip">
                <span class="muted">{key}</span> {previewJson(value, 60)}
              </span>
            ))}
          </dd>
        </div>
      </dl>

      {state.reason ? <p class="notice">Reason: {state.reason}</p> : null}
      {state.error ? (
        <div class="notice notice-error" role="alert">
          <strong>Failed:</strong> {state.error.message} <span class="muted mono">({state.error.code})</span>
        </div>
      ) : null}

      {startApproval !== null ? (
        <div key={START_APPROVAL_STEP} class="panel panel-attention">
          <h2 class="panel-title">Waiting for approval to start</h2>
          <p>{startApproval}</p>
          <ApprovalForm executionId={state.id} stepId={START_APPROVAL_STEP} onDecided={accept} />
        </div>
      ) : null}
      {waitingApprovals.map((step) => (
        <div key={step.id} class="panel panel-attention" data-testid={`approval-${step.id}`}>
          <h2 class="panel-title">Approval: {shapes.get(step.id)?.name ?? step.id}</h2>
          <p class="approval-message">{approvalMessage(step)}</p>
          <ApprovalForm executionId={state.id} stepId={step.id} onDecided={accept} />
        </div>
      ))}

      <div class="exec-layout">
        <div class="panel">
          <div class="panel-head">
            <h2 class="panel-title">Steps</h2>
            <div class="segmented" role="group" aria-label="Show steps as">
              <button type="button" aria-pressed={view === "graph"} onClick={() => setView("graph")}>
                Graph
              </button>
              <button type="button" aria-pressed={view === "timeline"} onClick={() => setView("timeline")}>
                Timeline
              </button>
            </div>
          </div>
          {definition.error ? <ErrorNotice error={definition.error} title="Could not load the pipeline's shape" /> : null}
          {view === "graph" ? (
            <StepGraph
              steps={state.steps.map((s) => (streams.has(s.id) && s.status === "running" ? { ...s, streamed: streams.get(s.id)! } : s))}
              shapes={shapes}
              selected={selected}
              onSelect={(step) => setSelected(selected === step ? null : step)}
            />
          ) : (
            <StepTimeline steps={state.steps} startedAt={state.startedAt} endedAt={state.endedAt} />
          )}
        </div>
        <div class="exec-side">
          {selectedStep ? (
            <StepDetail
              step={selectedStep}
              name={shapes.get(selectedStep.id)?.name}
              onClose={() => setSelected(null)}
              streamed={streams.get(selectedStep.id) ?? null}
              forkFrom={terminalExecutionStatuses.has(state.status) ? state.id : null}
            />
          ) : (
            <div class="panel">
              <h2 class="panel-title">Step details</h2>
              <p class="muted">Choose a step to see its input, output, error and usage.</p>
              {state.output ? (
                <>
                  <h3>Result</h3>
                  <JsonView value={state.output} label="Result" />
                </>
              ) : null}
            </div>
          )}
        </div>
      </div>
      <ExecutionLogs executionId={state.id} step={selected} live={liveLogs} />
    </>
  );
}

function approvalMessage(step: StepState): string {
  const input = step.input as { message?: unknown } | null;
  if (input && typeof input.message === "string") return input.message;
  return step.waitingFor ? `Waiting for ${step.waitingFor}.` : "Approve to go on, or reject to fail this step.";
}
