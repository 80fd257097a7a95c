/**
 * One execution, live: its steps as a graph (or a timeline) updated from its event stream, the details
 * of the chosen step (input, output, error, usage), its logs, and the actions an admin can take on it:
 * cancel, pause, resume, retry, and approve or reject what waits for approval.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { ExecutionEvent, ExecutionState, StepState } from "../../../shared/execution.ts";
import { terminalExecutionStatuses } from "../../../shared/execution.ts";
import { ApprovalForm } from "../components/approval-form.tsx";
import { useConfirm } from "../components/confirm.tsx";
import { JsonView } from "../components/json-view.tsx";
import { Link } from "../components/link.tsx";
import { type Level, LogFilters, LogLines, matchesLog, type ShownLog } from "../components/log-lines.tsx";
import { StepDetail } from "../components/step-detail.tsx";
import { ErrorNotice, Guard } from "../components/states.tsx";
import { StatusBadge } from "../components/status.tsx";
import { type StepShape, StepGraph, StepTimeline } from "../components/step-graph.tsx";
import { notify } from "../components/toasts.tsx";
import { baton, describeError } from "../lib/api.ts";
import { formatDuration, formatRelative, formatUsd, previewJson } from "../lib/format.ts";
import { useDebounced, useNow, useResource, useThrottled } from "../lib/use-resource.ts";

export function ExecutionView({ id }: { id: string }) {
  const execution = useResource(() => baton.executions.get(id), [id]);
  return (
    <section>
      <div class="crumbs">
        <Link href="/history">History</Link> /
      </div>
      <Guard resource={execution} label="Loading the execution…">
        {(state) => <Execution state={state} reload={execution.reload} setState={execution.setData} />}
      </Guard>
    </section>
  );
}

/** Applies an event that changes one step's progress at once, before the state is fetched again. */
function applyProgress(state: ExecutionState, event: ExecutionEvent): ExecutionState {
  const data = event.data as { stepId?: string; current?: number; total?: number; message?: string };
  if (typeof data.stepId !== "string" || typeof data.current !== "number" || typeof data.total !== "number") return state;
  return {
    ...state,
    steps: state.steps.map((step) =>
      step.id === data.stepId
        ? { ...step, progress: { current: data.current as number, total: data.total as number, ...(data.message ? { message: data.message } : {}) } }
        : step,
    ),
  };
}

function Execution({ state, reload, setState }: { state: ExecutionState; reload(): void; setState(state: ExecutionState): void }) {
  const [selected, setSelected] = useState<string | null>(null);
  const [view, setView] = useState<"graph" | "timeline">("graph");
  const [following, setFollowing] = useState<"live" | "reconnecting" | "ended" | "error">(terminalExecutionStatuses.has(state.status) ? "ended" : "live");
  const [logEvents, setLogEvents] = useState<ShownLog[]>([]);
  /** What running steps have streamed so far, by step id (from `step.stream` events). */
  const [streams, setStreams] = useState<Map<string, string>>(new Map());
  const stateRef = useRef(state);
  stateRef.current = state;
  const refresh = useThrottled(reload, 250);
  const { element: dialog, confirm } = useConfirm();
  const now = useNow(1000);

  const definition = useResource(() => baton.templates.get(state.templateId, { version: state.templateVersion }), [state.templateId, state.templateVersion]);
  const shapes = useMemo(() => {
    const map = new Map<string, StepShape>();
    for (const step of definition.data?.definition.steps ?? []) map.set(step.id, { id: step.id, name: step.name, needs: step.needs });
    return map;
  }, [definition.data]);

  // Follow the event stream from where the loaded state stops; it ends by itself with the execution.
  useEffect(() => {
    if (terminalExecutionStatuses.has(state.status)) return;
    const controller = new AbortController();
    setFollowing("live");
    void (async () => {
      try {
        for await (const event of baton.executions.events(state.id, {
          after: state.lastEventSeq,
          signal: controller.signal,
          onReconnect: () => setFollowing("reconnecting"),
        })) {
          setFollowing("live");
          if (event.type === "step.progress") {
            // Progress comes often and says everything itself: no need to fetch the state for it.
            setState(applyProgress(stateRef.current, event));
          } else if (event.type === "step.stream") {
            const data = event.data as { stepId: string; chunk?: unknown; item?: number };
            if (typeof data.chunk === "string" && data.item === undefined) {
              const chunk = data.chunk;
              setStreams((streams) => new Map(streams).set(data.stepId, ((streams.get(data.stepId) ?? "") + chunk).slice(-20_000)));
            }
          } else if (event.type === "step.log") {
            const data = event.data as { stepId: string; level: ShownLog["level"]; message: string; attempt?: number; item?: number };
            setLogEvents((lines) => [
              ...lines,
              { seq: event.seq, at: event.at, stepId: data.stepId, attempt: data.attempt ?? 1, level: data.level, message: data.message, ...(data.item !== undefined ? { item: data.item } : {}) },
            ]);
          } else refresh();
        }
        if (!controller.signal.aborted) {
          setFollowing("ended");
          reload();
        }
      } catch {
        if (!controller.signal.aborted) setFollowing("error");
      }
    })();
    return () => controller.abort();
  }, [state.id, terminalExecutionStatuses.has(state.status)]);

  const pendingStart = useResource(
    async () => (state.status === "waiting" || state.status === "queued" ? (await baton.approvals.list()).filter((a) => a.executionId === state.id && a.stepId === "$start") : []),
    [state.id, state.status],
  );

  async function act(action: "cancel" | "pause" | "resume" | "retry"): Promise<void> {
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
      setState(next);
      notify({ cancel: "Cancelled", pause: "Paused: running steps finish, nothing new starts", resume: "Resumed", retry: "Retrying the failed steps" }[action]);
    } catch (error) {
      notify(`Could not ${action}: ${describeError(error)}`, "error");
    }
  }

  const active = !terminalExecutionStatuses.has(state.status);
  const selectedStep = state.steps.find((s) => s.id === selected) ?? null;
  const waitingApprovals = state.steps.filter((s) => s.type === "approval" && s.status === "waiting");
  const duration = state.startedAt ? (state.endedAt ?? now) - state.startedAt : null;

  return (
    <>
      {dialog}
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

      {(pendingStart.data ?? []).map((approval) => (
        <div key="$start" class="panel panel-attention">
          <h2 class="panel-title">Waiting for approval to start</h2>
          <p>{approval.message ?? "Baton runs in approval mode: every start waits for an admin."}</p>
          <ApprovalForm executionId={state.id} stepId="$start" onDecided={setState} />
        </div>
      ))}
      {waitingApprovals.map((step) => (
        <div key={step.id} class="panel panel-attention" data-testid={`approval-${step.id}`}>
          <h2 class="panel-title">Approval: {shapes.get(step.id)?.name ?? step.id}</h2>
          <p class="approval-message">{approvalMessage(step)}</p>
          <ApprovalForm executionId={state.id} stepId={step.id} onDecided={setState} />
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
            <StepGraph steps={state.steps.map((s) => (streams.has(s.id) && s.status === "running" ? { ...s, streamed: streams.get(s.id)! } : s))} shapes={shapes} selected={selected} onSelect={(step) => setSelected(selected === step ? null : step)} />
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
      <ExecutionLogs executionId={state.id} step={selected} live={logEvents} />
    </>
  );
}

function approvalMessage(step: StepState): string {
  const input = step.input as { message?: unknown } | null;
  if (input && typeof input.message === "string") return input.message;
  return step.waitingFor ? `Waiting for ${step.waitingFor}.` : "Approve to go on, or reject to fail this step.";
}

function ExecutionLogs({ executionId, step, live }: { executionId: string; step: string | null; live: ShownLog[] }) {
  const [level, setLevel] = useState<Level>("debug");
  const [q, setQ] = useState("");
  const [follow, setFollow] = useState(true);
  const [onlyStep, setOnlyStep] = useState(false);
  const query = useDebounced(q, 300);
  const stepFilter = onlyStep ? step : null;
  const logs = useResource(
    () => baton.executions.logs(executionId, { level, limit: 1000, ...(query ? { q: query } : {}), ...(stepFilter ? { step: stepFilter } : {}) }),
    [executionId, level, query, stepFilter],
  );
  // Lines past the first page, fetched on request.
  const [more, setMore] = useState<{ logs: ShownLog[]; nextAfter: number | null }>({ logs: [], nextAfter: null });
  useEffect(() => setMore({ logs: [], nextAfter: logs.data?.nextAfter ?? null }), [logs.data]);
  const lines = useMemo(() => {
    const loaded = [...(logs.data?.logs ?? []), ...more.logs];
    const last = loaded.length > 0 ? (loaded[loaded.length - 1] as ShownLog).seq : 0;
    // Live lines follow on only once everything before them is here.
    const tail = more.nextAfter === null ? live.filter((line) => line.seq > last && matchesLog(line, { level, q: query, step: stepFilter })) : [];
    return [...loaded, ...tail];
  }, [logs.data, more, live, level, query, stepFilter]);

  async function loadMore(): Promise<void> {
    if (more.nextAfter === null) return;
    const page = await baton.executions.logs(executionId, {
      level,
      limit: 1000,
      after: more.nextAfter,
      ...(query ? { q: query } : {}),
      ...(stepFilter ? { step: stepFilter } : {}),
    });
    setMore({ logs: [...more.logs, ...page.logs], nextAfter: page.nextAfter });
  }

  return (
    <div class="panel">
      <h2 class="panel-title">Logs</h2>
      <LogFilters level={level} q={q} follow={follow} onLevel={setLevel} onQuery={setQ} onFollow={setFollow} idPrefix="exec-logs">
        {step ? (
          <label class="check">
            <input type="checkbox" checked={onlyStep} onChange={(e) => setOnlyStep(e.currentTarget.checked)} />
            Only step <span class="mono">{step}</span>
          </label>
        ) : null}
      </LogFilters>
      {logs.error ? <ErrorNotice error={logs.error} retry={logs.reload} title="Could not load the logs" /> : null}
      <LogLines lines={lines} follow={follow} empty={logs.loading ? "Loading…" : query || level !== "debug" ? "No log line matches." : "No log lines yet."} />
      {more.nextAfter !== null ? (
        <div class="actions">
          <span class="muted small">{lines.length} lines shown; there are more.</span>
          <button type="button" class="button button-small" onClick={() => void loadMore().catch((error: unknown) => notify(describeError(error), "error"))}>
            Load more
          </button>
        </div>
      ) : null}
    </div>
  );
}
