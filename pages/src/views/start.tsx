/**
 * Starting a pipeline: a form generated from the template's `params` (each type its own control, with
 * its description, limits and default), the cost and duration to expect from past runs, and the start
 * itself, which opens the new execution.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import type { TemplateEstimate, TemplateRecord } from "../../../shared/api/templates.ts";
import type { ParamSpec } from "../../../shared/template.ts";
import { describedBy, Field } from "../components/field.tsx";
import { Link } from "../components/link.tsx";
import { NotStarted } from "../components/not-started.tsx";
import { ParamField } from "../components/param-input.tsx";
import { ErrorNotice, Guard, Loading } from "../components/states.tsx";
import { baton, fieldErrors } from "../lib/api.ts";
import { formatDuration, formatUsd } from "../lib/format.ts";
import { initialText, readParam } from "../lib/params-form.ts";
import { navigate } from "../lib/router.ts";
import { useDebounced, useResource } from "../lib/use-resource.ts";

export function StartView({ id }: { id: string }) {
  const record = useResource(() => baton.templates.get(id), [id]);
  return (
    <section>
      <div class="crumbs">
        <Link href="/pipelines">Pipelines</Link> / <Link href={`/pipelines/${encodeURIComponent(id)}`}>{record.data?.name ?? id}</Link> /
      </div>
      <Guard resource={record} label="Loading the pipeline…">
        {(loaded) => <StartForm record={loaded} />}
      </Guard>
    </section>
  );
}

function StartForm({ record }: { record: TemplateRecord }) {
  const specs = Object.entries(record.definition.params) as [string, ParamSpec][];
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(specs.map(([name, spec]) => [name, initialText(spec)])));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [priority, setPriority] = useState("");
  const [serverErrors, setServerErrors] = useState<Map<string, string>>(new Map());
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);

  const readings = useMemo(() => Object.fromEntries(specs.map(([name, spec]) => [name, readParam(spec, texts[name] ?? "")])), [texts]);
  const params = useMemo(() => {
    const values: Record<string, unknown> = {};
    for (const [name, reading] of Object.entries(readings)) if (reading.ok && reading.present) values[name] = reading.value;
    return values;
  }, [readings]);
  const allValid = Object.values(readings).every((r) => r.ok);
  const priorityValue = priority.trim() === "" ? undefined : Number(priority);
  const priorityError =
    priorityValue !== undefined && (!Number.isInteger(priorityValue) || priorityValue < -100 || priorityValue > 100)
      ? "A whole number from -100 to 100."
      : undefined;

  const settledParams = useDebounced(JSON.stringify(params), 400);
  const estimate = useResource<TemplateEstimate>(
    () => baton.templates.estimate(record.id, JSON.parse(settledParams) as Record<string, unknown>),
    [record.id, settledParams],
  );

  useEffect(() => setServerErrors(new Map()), [texts]);

  function errorOf(name: string): string | undefined {
    const reading = readings[name];
    if (reading && !reading.ok && touched.has(name)) return reading.message;
    return serverErrors.get(`params.${name}`) ?? serverErrors.get(name);
  }

  async function start(event: Event): Promise<void> {
    event.preventDefault();
    setTouched(new Set(specs.map(([name]) => name)));
    if (!allValid || priorityError) {
      const first = specs.find(([name]) => !readings[name]?.ok);
      if (first) document.getElementById(`param-${first[0]}`)?.focus();
      return;
    }
    setStarting(true);
    setSubmitError(null);
    try {
      const started = await baton.executions.start({
        template: record.id,
        // The version whose form this is: a save made meanwhile does not change what starts.
        version: record.version,
        params,
        ...(priorityValue !== undefined ? { priority: priorityValue } : {}),
      });
      navigate(`/executions/${encodeURIComponent(started.id)}`);
    } catch (error) {
      setServerErrors(fieldErrors(error));
      setSubmitError(error);
      setStarting(false);
    }
  }

  const unplaced = [...serverErrors].filter(([path]) => !specs.some(([name]) => path === `params.${name}` || path === name));

  return (
    <>
      <div class="page-head">
        <div>
          <h1>Start {record.name}</h1>
          {record.definition.description ? <p class="muted">{record.definition.description}</p> : null}
        </div>
      </div>
      <div class="start-layout">
        <form class="panel form" onSubmit={(e) => void start(e)} noValidate>
          <h2 class="panel-title">Parameters</h2>
          {specs.length === 0 ? <p class="muted">This pipeline takes no parameters.</p> : null}
          {specs.map(([name, spec]) => (
            <ParamField
              key={name}
              id={`param-${name}`}
              name={name}
              spec={spec}
              text={texts[name] ?? ""}
              error={errorOf(name)}
              set={(value) => setTexts({ ...texts, [name]: value })}
              blur={() => setTouched(new Set([...touched, name]))}
            />
          ))}
          <details class="more">
            <summary>Priority</summary>
            <Field id="start-priority" label="Priority" help="Higher runs first when the queue is full; -100 to 100, the template's own by default." error={priorityError}>
              <input
                {...describedBy("start-priority", priorityError, true)}
                type="number"
                step={1}
                min={-100}
                max={100}
                placeholder={String(record.definition.priority)}
                value={priority}
                onInput={(e) => setPriority(e.currentTarget.value)}
              />
            </Field>
          </details>
          <NotStarted unplaced={unplaced} failure={submitError} anyPlaced={serverErrors.size > 0} />
          <div class="actions">
            <button type="submit" class="button button-primary" disabled={starting}>
              {starting ? "Starting…" : "Start execution"}
            </button>
          </div>
        </form>
        <aside class="panel" aria-live="polite">
          <h2 class="panel-title">What to expect</h2>
          <EstimatePanel estimate={estimate.data} loading={estimate.loading && !estimate.data} error={estimate.error} />
          {record.definition.budget ? (
            <p class="muted">Stops if it costs more than {formatUsd(record.definition.budget.maxCostUsd)} (the pipeline's budget).</p>
          ) : null}
          <p class="muted">
            {record.definition.steps.length} steps, version {record.version}
            {record.definition.steps.some((s) => s.type === "approval") ? "; waits for an approval on the way" : ""}.
          </p>
        </aside>
      </div>
    </>
  );
}

function EstimatePanel({ estimate, loading, error }: { estimate: TemplateEstimate | undefined; loading: boolean; error: unknown }) {
  if (loading) return <Loading label="Estimating…" />;
  if (error && !estimate) return <ErrorNotice error={error} title="No estimate" />;
  if (!estimate) return null;
  if (!estimate.costUsd || !estimate.durationMs) return <p class="muted">{estimate.note ?? "No estimate yet: no past runs to learn from."}</p>;
  return (
    <>
      <dl class="stats">
        <div>
          <dt>Cost</dt>
          <dd data-testid="estimate-cost">
            {formatUsd(estimate.costUsd.p50)} <span class="muted">typical · up to {formatUsd(estimate.costUsd.p90)}</span>
          </dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>
            {formatDuration(estimate.durationMs.p50)} <span class="muted">typical · up to {formatDuration(estimate.durationMs.p90)}</span>
          </dd>
        </div>
      </dl>
      <p class="muted">
        From {estimate.basedOn} completed run{estimate.basedOn === 1 ? "" : "s"}, time waiting for approvals included.
        {estimate.note ? ` ${estimate.note}` : ""}
      </p>
    </>
  );
}
