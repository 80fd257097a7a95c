/**
 * The detail panel of one step of an execution: what it is, its attempts, usage, error, input and
 * output; the text it streams while it runs; where it was reused from or fell back to; and, once the
 * execution has ended, "Fork from here".
 */
import type { StepState } from "../../../../shared/execution.ts";
import { ForkForm, StreamedText } from "../../components/fork-form.tsx";
import { JsonView } from "../../components/json-view.tsx";
import { Link } from "../../components/link.tsx";
import { StatusBadge } from "../../components/status.tsx";
import { progressText } from "../../components/step-graph.tsx";
import { formatTime, formatUsd } from "../../lib/format.ts";

export function StepDetail({
  step,
  name,
  onClose,
  streamed,
  forkFrom,
}: {
  step: StepState;
  name: string | undefined;
  onClose(): void;
  streamed: string | null;
  /** The execution to fork from this step, once it has ended. */
  forkFrom: string | null;
}) {
  return (
    <div class="panel step-detail" aria-live="polite">
      <div class="panel-head">
        <h2 class="panel-title">
          {name ?? step.id} <StatusBadge status={step.status} />
        </h2>
        <button type="button" class="button button-small button-quiet" onClick={onClose} aria-label="Close step details">
          ✕
        </button>
      </div>
      <dl class="kv">
        <dt>Step</dt>
        <dd class="mono">{step.id}</dd>
        <dt>Kind</dt>
        <dd>{step.type === "agent" ? `agent ${step.agent ?? ""}` : step.type}</dd>
        <dt>Attempts</dt>
        <dd>
          {step.attempt} of at most {step.maxAttempts}
        </dd>
        <dt>Started</dt>
        <dd>{formatTime(step.startedAt)}</dd>
        <dt>Ended</dt>
        <dd>{formatTime(step.endedAt)}</dd>
        {progressText(step) ? (
          <>
            <dt>Progress</dt>
            <dd>{progressText(step)}</dd>
          </>
        ) : null}
        {step.waitingFor ? (
          <>
            <dt>Waiting for</dt>
            <dd>{step.waitingFor}</dd>
          </>
        ) : null}
        <dt>Usage</dt>
        <dd>
          {formatUsd(step.usage.costUsd)} · {step.usage.inputTokens} in / {step.usage.outputTokens} out tokens
        </dd>
        {step.childExecutionId ? (
          <>
            <dt>Child</dt>
            <dd>
              <Link href={`/executions/${encodeURIComponent(step.childExecutionId)}`} class="mono">
                {step.childExecutionId}
              </Link>
            </dd>
          </>
        ) : null}
      </dl>
      {step.error ? (
        <div class="notice notice-error">
          <strong>{step.error.code}:</strong> {step.error.message}
        </div>
      ) : null}
      {step.reusedFrom ? (
        <p class="muted">
          Reused from{" "}
          <Link href={`/executions/${encodeURIComponent(step.reusedFrom)}`} class="mono">
            {step.reusedFrom}
          </Link>{" "}
          (not run again, no cost).
        </p>
      ) : null}
      {step.fallback ? (
        <p class="muted">
          Completed by its fallback agent {step.fallback.agent} after: {step.fallback.error.message}
        </p>
      ) : null}
      {streamed !== null && step.status === "running" ? <StreamedText text={streamed} /> : null}
      <h3>Input</h3>
      <JsonView value={step.input} label="Input" />
      <h3>Output</h3>
      <JsonView value={step.output} label="Output" />
      {forkFrom ? <ForkForm key={step.id} executionId={forkFrom} step={step} /> : null}
    </div>
  );
}
