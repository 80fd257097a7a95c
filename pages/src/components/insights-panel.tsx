/**
 * The Insights panel of a pipeline's page: its runs of the last 7, 30 or 90 days grouped by a param or
 * key (most runs first), the top keys, each key's newest runs, and a saturation bar per key against the
 * template's rate limit, with when the next place frees. Reads `GET /v1/insights`, which never wakes an
 * execution; `InsightsLinks` points the dashboard at the pipelines that have a key.
 */
import { useEffect, useState } from "preact/hooks";
import type { Insights, InsightWindow, KeyInsight } from "../../../shared/api/insights.ts";
import { insightWindows } from "../../../shared/api/insights.ts";
import type { TemplateSummary } from "../../../shared/api/templates.ts";
import type { Template } from "../../../shared/template.ts";
import { baton } from "../lib/api.ts";
import { formatRelative, formatUsd } from "../lib/format.ts";
import { useResource } from "../lib/use-resource.ts";
import { Link } from "./link.tsx";
import { DataTable } from "./data-table.tsx";
import { Empty, Guard } from "./states.tsx";
import { StatusBadge } from "./status.tsx";

/** Every `by` the template allows, the server's default first (rate key, then concurrency key, then params). */
export function insightChoices(template: Template): string[] {
  const keys = [template.rateLimit ? "rateKey" : "", template.concurrency?.key ? "concurrencyKey" : ""].filter(Boolean);
  return [...keys, ...Object.keys(template.params)];
}

const keyed = (template: Template) => Boolean(template.rateLimit || template.concurrency?.key);

export function InsightsPanel({ template }: { template: Template }) {
  const choices = insightChoices(template);
  // A template keyed by a param reads best grouped by that param: `theme`, not `rateKey`.
  const keyParam = /^\{\{params\.([A-Za-z_][A-Za-z0-9_]*)\}\}$/.exec((template.rateLimit?.key ?? template.concurrency?.key ?? "").trim())?.[1];
  const [by, setBy] = useState(keyParam ?? choices[0] ?? "");
  const [window, setWindow] = useState<InsightWindow>("30d");
  const [pages, setPages] = useState<KeyInsight[]>([]);
  const first = useResource<Insights | null>(async () => (by ? baton.insights({ template: template.id, by, window }) : null), [template.id, by, window]);
  const [next, setNext] = useState<string | null>(null);
  // The dashboard links here as `#insights`; the router does not scroll to fragments itself.
  useEffect(() => {
    if (location.hash === "#insights") document.getElementById("insights")?.scrollIntoView();
  }, []);
  useEffect(() => {
    setPages([]);
    setNext(first.data?.nextCursor ?? null);
  }, [first.data]);

  async function more(): Promise<void> {
    if (!next) return;
    const page = await baton.insights({ template: template.id, by, window, cursor: next });
    setPages([...pages, ...page.keys]);
    setNext(page.nextCursor);
  }

  if (choices.length === 0) return null;
  return (
    <section id="insights" class="panel insights" aria-labelledby="insights-title">
      <div class="panel-title-row">
        <h2 id="insights-title" class="panel-title">
          Insights
        </h2>
        <div class="insights-controls">
          <label class="inline-field">
            Group by{" "}
            <select value={by} onChange={(e) => setBy(e.currentTarget.value)} aria-label="Group by">
              {choices.map((choice) => (
                <option key={choice} value={choice}>
                  {choice}
                </option>
              ))}
            </select>
          </label>
          <div class="segmented" role="group" aria-label="Window">
            {insightWindows.map((w) => (
              <button key={w} type="button" class={`button button-small${w === window ? " button-primary" : ""}`} aria-pressed={w === window} onClick={() => setWindow(w)}>
                {w.replace("d", " days")}
              </button>
            ))}
          </div>
        </div>
      </div>
      <Guard resource={first} label="Reading history…">
        {(report) => (report ? <InsightsBody report={report} keys={[...report.keys, ...pages]} /> : null)}
      </Guard>
      {next ? (
        <button type="button" class="button button-small" onClick={() => void more()}>
          More keys
        </button>
      ) : null}
    </section>
  );
}

function InsightsBody({ report, keys }: { report: Insights; keys: KeyInsight[] }) {
  if (keys.length === 0) return <Empty title={`No runs in the last ${report.window.replace("d", " days")}`} />;
  const top = keys.slice(0, 3);
  return (
    <>
      <p class="muted">
        By <span class="mono">{report.by}</span> since {new Date(report.since).toLocaleDateString()}
        {report.rateLimit ? ` · rate limit ${report.rateLimit.limit} per ${report.rateLimit.window} per key` : " · no rate limit on this key"}
      </p>
      <div class="top-keys" aria-label="Top keys">
        {top.map((k, index) => (
          <span key={k.key ?? ""} class="pill">
            #{index + 1} {k.key ?? "(none)"} · {k.runs} run{k.runs === 1 ? "" : "s"}
          </span>
        ))}
      </div>
      <DataTable
        label={`Runs by ${report.by}`}
        rows={keys}
        rowKey={(k) => k.key ?? ""}
        columns={[
          { header: report.by, class: "mono", cell: (k) => k.key ?? "(none)" },
          { header: "Runs", cell: (k) => k.runs },
          { header: "Completed", cell: (k) => k.completed },
          { header: "Failed", cell: (k) => k.failed },
          { header: "Cost", cell: (k) => formatUsd(k.costUsd) },
          { header: "Last run", cell: (k) => formatRelative(k.lastRunAt) },
          ...(report.rateLimit ? [{ header: "Saturation", cell: (k: KeyInsight) => (k.rate ? <Saturation keyName={k.key ?? ""} rate={k.rate} /> : "—") }] : []),
          {
            header: "Recent runs",
            cell: (k) => (
              <ul class="plain recent-runs">
                {k.recent.map((run) => (
                  <li key={run.id}>
                    <Link href={`/executions/${encodeURIComponent(run.id)}`} class="mono">
                      {run.id.slice(0, 12)}
                    </Link>{" "}
                    <StatusBadge status={run.status} />
                  </li>
                ))}
              </ul>
            ),
          },
        ]}
      />
    </>
  );
}

function Saturation({ keyName, rate }: { keyName: string; rate: NonNullable<KeyInsight["rate"]> }) {
  const full = rate.used >= rate.allowed;
  return (
    <div class={`saturation${full ? " saturation-full" : ""}`}>
      <meter class="meter" min={0} max={rate.allowed} value={rate.used} low={rate.allowed - 0.5} high={rate.allowed - 0.5} optimum={0} aria-label={`${keyName}: ${rate.used} of ${rate.allowed} per ${rate.window}`} />
      <span class="small">
        {rate.used}/{rate.allowed} per {rate.window}
        {full ? (rate.freesAt ? ` · saturated, frees ${formatRelative(rate.freesAt)}` : " · saturated") : " · free"}
      </span>
    </div>
  );
}

/** For the dashboard: the pipelines with a rate or concurrency key, each linking to its insights. */
export function InsightsLinks({ templates }: { templates: TemplateSummary[] }) {
  const definitions = useResource(
    () => Promise.all(templates.slice(0, 50).map((t) => baton.templates.get(t.id).then((record) => record.definition))),
    [templates.map((t) => t.id).join(",")],
  );
  return (
    <Guard resource={definitions}>
      {(list) => {
        const withKeys = list.filter(keyed);
        return withKeys.length === 0 ? (
          <Empty title="No pipeline has a rate or concurrency key" />
        ) : (
          <ul class="plain">
            {withKeys.map((t) => (
              <li key={t.id}>
                <Link href={`/pipelines/${encodeURIComponent(t.id)}#insights`}>Insights: {t.name}</Link>{" "}
                <span class="muted small">{t.rateLimit ? `${t.rateLimit.limit} per ${t.rateLimit.window} per key` : `${t.concurrency?.limit} at once per key`}</span>
              </li>
            ))}
          </ul>
        );
      }}
    </Guard>
  );
}
