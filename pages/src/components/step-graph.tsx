/**
 * An execution's steps as a graph: one row per depth (steps that need nothing at the top), arrows from
 * each step to those that need it, and on each card what is happening now: status, progress, attempts,
 * the retry countdown, what a waiting step waits for.
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { StepState } from "../../../shared/execution.ts";
import { formatDuration, formatRelative, formatUsd } from "../lib/format.ts";
import { stepDepths, stepRows } from "../lib/step-layout.ts";
import { useNow } from "../lib/use-resource.ts";
import { StatusBadge } from "./status.tsx";

export interface StepShape {
  id: string;
  name?: string | undefined;
  needs?: string[] | undefined;
}

type Edge = { from: string; to: string; d: string; done: boolean };

export function StepGraph({
  steps,
  shapes,
  selected,
  onSelect,
}: {
  steps: StepState[];
  shapes: Map<string, StepShape>;
  selected: string | null;
  onSelect(id: string): void;
}) {
  const depths = stepDepths(steps.map((s) => ({ id: s.id, needs: shapes.get(s.id)?.needs })));
  const rows = stepRows(steps, depths);
  const container = useRef<HTMLDivElement>(null);
  const [edges, setEdges] = useState<Edge[]>([]);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const statusKey = steps.map((s) => s.status).join();

  useLayoutEffect(() => {
    const element = container.current;
    if (!element) return;
    const measure = () => {
      const box = element.getBoundingClientRect();
      const cards = new Map<string, DOMRect>();
      for (const card of element.querySelectorAll<HTMLElement>("[data-step]")) cards.set(card.dataset.step as string, card.getBoundingClientRect());
      const next: Edge[] = [];
      const byId = new Map(steps.map((s) => [s.id, s]));
      for (const step of steps) {
        for (const parent of shapes.get(step.id)?.needs ?? []) {
          const a = cards.get(parent);
          const b = cards.get(step.id);
          if (!a || !b) continue;
          const x1 = a.left + a.width / 2 - box.left;
          const y1 = a.bottom - box.top;
          const x2 = b.left + b.width / 2 - box.left;
          const y2 = b.top - box.top;
          const bend = Math.max(12, (y2 - y1) / 2);
          next.push({
            from: parent,
            to: step.id,
            d: `M ${x1} ${y1} C ${x1} ${y1 + bend}, ${x2} ${y2 - bend}, ${x2} ${y2 - 6}`,
            done: byId.get(parent)?.status === "completed",
          });
        }
      }
      setEdges(next);
      setSize({ width: box.width, height: box.height });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [steps.length, statusKey, shapes]);

  return (
    <div class="graph" ref={container}>
      <svg class="graph-edges" width={size.width} height={size.height} aria-hidden="true">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" class="graph-arrow" />
          </marker>
        </defs>
        {edges.map((edge) => (
          <path key={`${edge.from}>${edge.to}`} d={edge.d} class={edge.done ? "edge edge-done" : "edge"} marker-end="url(#arrow)" />
        ))}
      </svg>
      <ol class="graph-rows" aria-label="Steps">
        {rows.map((row, index) => (
          <li key={index} class="graph-row">
            <ul>
              {row.map((step) => (
                <li key={step.id}>
                  <StepCard step={step} name={shapes.get(step.id)?.name} selected={selected === step.id} onSelect={() => onSelect(step.id)} />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </div>
  );
}

export function progressText(step: StepState): string | null {
  if (step.items) {
    const { completed, failed, running, total } = step.items;
    return `${completed}/${total} items${failed ? `, ${failed} failed` : ""}${running ? `, ${running} running` : ""}`;
  }
  if (!step.progress) return null;
  const { current, total, message } = step.progress;
  return `${current}/${total}${message ? ` · ${message}` : ""}`;
}

/** A step, and (while it runs) the text it has streamed so far: the card's tooltip shows its end. */
export type ShownStep = StepState & { streamed?: string };

function StepCard({ step, name, selected, onSelect }: { step: ShownStep; name: string | undefined; selected: boolean; onSelect(): void }) {
  const now = useNow(1000);
  const progress = step.items ? { current: step.items.completed, total: step.items.total } : step.progress;
  // A retrying step's progress belongs to the attempt that failed: hide it until the next one reports.
  const showProgress = progress && progress.total > 0 && step.status !== "retrying" && (step.status === "running" || step.status === "waiting" || progress.current < progress.total);
  const elapsed = step.startedAt ? (step.endedAt ?? now) - step.startedAt : null;
  const meta: string[] = [];
  if (step.type === "agent" && step.agent) meta.push(step.agent);
  if (step.type === "approval") meta.push("approval");
  if (step.type === "pipeline") meta.push("sub-pipeline");
  if (step.maxAttempts > 1 && step.attempt > 0) meta.push(`attempt ${step.attempt}/${step.maxAttempts}`);
  if (elapsed !== null) meta.push(formatDuration(elapsed));
  if (step.usage.costUsd > 0) meta.push(formatUsd(step.usage.costUsd));

  return (
    <div
      class={`step-card step-${step.status}${selected ? " selected" : ""}`}
      data-step={step.id}
      title={step.streamed ? (step.streamed.length > 300 ? `…${step.streamed.slice(-300)}` : step.streamed) : undefined}
    >
      <button type="button" class="step-title" onClick={onSelect} aria-pressed={selected} aria-label={`${name ?? step.id}, ${step.status}. Show details`}>
        <span class="step-name">{name ?? step.id}</span>
        <StatusBadge status={step.status} />
      </button>
      <div class="step-meta">
        {name ? <span class="mono">{step.id}</span> : null}
        {meta.map((part) => (
          <span key={part}>{part}</span>
        ))}
      </div>
      {showProgress ? (
        <div class="progress" title={progressText(step) ?? undefined}>
          <div
            class="progress-bar"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={progress.total}
            aria-valuenow={progress.current}
            aria-label={`${step.id} progress`}
          >
            <span style={{ width: `${Math.min(100, (progress.current / progress.total) * 100)}%` }} />
          </div>
          <span class="progress-text" data-testid={`progress-${step.id}`}>
            {progressText(step)}
          </span>
        </div>
      ) : null}
      {step.status === "retrying" && step.wakeAt ? (
        <div class="step-note step-note-retry">
          Attempt {step.attempt + 1} of {step.maxAttempts} {step.wakeAt > now ? `in ${Math.ceil((step.wakeAt - now) / 1000)} s` : "starting…"}
          {step.error ? ` · last error: ${step.error.message}` : ""}
        </div>
      ) : null}
      {step.status === "waiting" && step.waitingFor ? (
        <div class="step-note step-note-wait">
          Waiting for {step.waitingFor}
          {step.wakeAt ? ` · times out ${formatRelative(step.wakeAt, now)}` : ""}
        </div>
      ) : null}
      {step.status === "failed" && step.error ? <div class="step-note step-note-error">{step.error.message}</div> : null}
    </div>
  );
}

/** The same steps on a time axis: when each ran, from the execution's start to its end (or now). */
export function StepTimeline({ steps, startedAt, endedAt }: { steps: StepState[]; startedAt: number | null; endedAt: number | null }) {
  const now = useNow(1000);
  if (!startedAt) return <p class="muted">Nothing has run yet.</p>;
  const end = Math.max(endedAt ?? now, startedAt + 1);
  const span = end - startedAt;
  return (
    <div class="timeline" role="list">
      {steps.map((step) => {
        const from = step.startedAt ? ((step.startedAt - startedAt) / span) * 100 : null;
        const to = step.startedAt ? (((step.endedAt ?? now) - startedAt) / span) * 100 : null;
        return (
          <div key={step.id} class="timeline-row" role="listitem">
            <span class="timeline-label mono">{step.id}</span>
            <span class="timeline-track">
              {from !== null && to !== null ? (
                <span
                  class={`timeline-bar step-${step.status}`}
                  style={{ left: `${from}%`, width: `${Math.max(0.8, to - from)}%` }}
                  title={`${step.id}: ${step.status}, ${formatDuration((step.endedAt ?? now) - (step.startedAt ?? now))}`}
                />
              ) : null}
            </span>
            <span class="timeline-time">{step.startedAt ? formatDuration((step.endedAt ?? now) - step.startedAt) : step.status}</span>
          </div>
        );
      })}
    </div>
  );
}
