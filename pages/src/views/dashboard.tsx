/**
 * The dashboard: what is happening now (running, queued, waiting, failed today), how today goes
 * (success rate, cost), agent health, executions per hour and cost per day, the latest executions, and
 * the pipelines and concurrency keys that run most. Every number comes counted from `GET /v1/stats`
 * (never from list pages); it refreshes itself from the live feed.
 */
import type { AgentSummary } from "../../../shared/api/agents.ts";
import type { Stats, StatsBucket } from "../../../shared/api/stats.ts";
import type { ExecutionSummary } from "../../../shared/execution.ts";
import { Chart } from "../components/chart.tsx";
import { InsightsLinks } from "../components/insights-panel.tsx";
import { Link } from "../components/link.tsx";
import { Empty, ErrorNotice, Guard } from "../components/states.tsx";
import { StatusBadge } from "../components/status.tsx";
import { baton } from "../lib/api.ts";
import { formatPercent, formatRelative, formatTime, formatUsd } from "../lib/format.ts";
import { useLiveEvents } from "../lib/live.ts";
import { queryString } from "../lib/router.ts";
import { useResource, useThrottled } from "../lib/use-resource.ts";

/** The caller's offset from UTC, so that "today" and the hours are the browser's. */
const utcOffsetMinutes = () => -new Date().getTimezoneOffset();

async function concurrencyKeys(): Promise<[string, number][]> {
  const queue = await baton.queue();
  const keys = new Map<string, number>();
  for (const row of [...queue.running, ...queue.queued]) {
    if (row.concurrencyKey) keys.set(row.concurrencyKey, (keys.get(row.concurrencyKey) ?? 0) + 1);
  }
  return [...keys].sort((a, b) => b[1] - a[1]).slice(0, 6);
}

export function DashboardView() {
  // Exact numbers, counted by the API in D1's history.
  const stats = useResource(() => baton.stats({ utcOffsetMinutes: utcOffsetMinutes(), days: 14 }), [], { refreshMs: 15_000 });
  const keys = useResource(concurrencyKeys, [], { refreshMs: 15_000 });
  const recent = useResource(() => baton.executions.list({ limit: 8 }), [], { refreshMs: 60_000 });
  const agents = useResource(() => baton.agents.list(), [], { refreshMs: 30_000 });
  const pipelines = useResource(() => baton.templates.list(), []);
  const reload = useThrottled(() => {
    stats.reload();
    keys.reload();
    recent.reload();
  }, 3000);
  useLiveEvents(reload);

  const now = stats.data?.byStatus;
  const today = stats.data?.today;

  return (
    <section>
      <div class="page-head">
        <h1>Dashboard</h1>
        <div class="page-actions">
          <Link href="/pipelines" class="button button-primary">
            Start a pipeline
          </Link>
        </div>
      </div>
      {stats.error ? <ErrorNotice error={stats.error} retry={stats.reload} title="Could not load the numbers" /> : null}
      <div class="tiles">
        <Tile label="Running" value={now?.running} href="/queue" status="running" />
        <Tile label="Queued" value={now?.queued} href="/queue" status="queued" />
        <Tile label="Waiting" value={now?.waiting} href="/history?status=waiting" status="waiting" />
        <Tile label="Failed today" value={today?.failed} href={`/history${queryString({ status: "failed" })}`} status="failed" />
        <Tile label="Success today" value={today ? formatPercent(today.successRate) : undefined} hint={today ? `${today.completed} of ${today.completed + today.failed} finished` : undefined} />
        <Tile label="Cost today" value={today ? formatUsd(today.costUsd) : undefined} href="/resources" />
      </div>
      <div class="grid-2">
        <div class="panel">
          <h2 class="panel-title">Executions per hour (24 h)</h2>
          <Guard resource={stats}>{(data) => <PerHour hours={data.hourly} />}</Guard>
        </div>
        <div class="panel">
          <h2 class="panel-title">Cost per day (14 days)</h2>
          <Guard resource={stats}>
            {(data) => (
              <Chart label="Cost per day" x={data.daily.map((b) => b.start)} series={[{ label: "Cost", values: data.daily.map((b) => b.costUsd), color: "var(--accent)", format: formatUsd }]} />
            )}
          </Guard>
        </div>
        <div class="panel">
          <div class="panel-head">
            <h2 class="panel-title">Recent executions</h2>
            <Link href="/history">All history</Link>
          </div>
          <Guard resource={recent}>{(page) => <Recent executions={page.executions} />}</Guard>
        </div>
        <div class="panel">
          <div class="panel-head">
            <h2 class="panel-title">Agent health</h2>
            <Link href="/agents">All agents</Link>
          </div>
          <Guard resource={agents}>{(list) => <AgentHealth agents={list} />}</Guard>
        </div>
        <div class="panel">
          <h2 class="panel-title">Most run (24 h)</h2>
          <Guard resource={stats}>{(data) => <MostRun templates={data.topTemplates} />}</Guard>
        </div>
        <div class="panel">
          <h2 class="panel-title">Busiest concurrency keys (now)</h2>
          <Guard resource={keys}>
            {(data) =>
              data.length === 0 ? (
                <Empty title="No keyed executions running or queued" />
              ) : (
                <ul class="bar-list">
                  {data.map(([key, count]) => (
                    <li key={key}>
                      <span class="mono">{key}</span>
                      <span class="bar-track" aria-hidden="true">
                        <span style={{ width: `${(count / (data[0]?.[1] ?? 1)) * 100}%` }} />
                      </span>
                      <span>{count}</span>
                    </li>
                  ))}
                </ul>
              )
            }
          </Guard>
        </div>
        <div class="panel">
          <h2 class="panel-title">Insights per key</h2>
          <Guard resource={pipelines}>{(list) => <InsightsLinks templates={list} />}</Guard>
        </div>
      </div>
    </section>
  );
}

function Tile({ label, value, href, status, hint }: { label: string; value: string | number | undefined; href?: string; status?: string; hint?: string | undefined }) {
  const body = (
    <>
      <span class="tile-label">
        {status ? <span class={`status-dot status-${status}`} aria-hidden="true" /> : null}
        {label}
      </span>
      <span class="tile-value">{value === undefined ? "…" : value}</span>
      {hint ? <span class="tile-hint">{hint}</span> : null}
    </>
  );
  return href ? (
    <Link href={href} class="tile">
      {body}
    </Link>
  ) : (
    <div class="tile">{body}</div>
  );
}

function PerHour({ hours }: { hours: StatsBucket[] }) {
  return (
    <Chart
      label="Executions started per hour over the last 24 hours"
      x={hours.map((b) => b.start)}
      integer
      series={[
        { label: "Started", values: hours.map((b) => b.created), color: "var(--st-running)", format: (v) => String(Math.round(v)) },
        { label: "Failed", values: hours.map((b) => b.failed), color: "var(--danger)", format: (v) => String(Math.round(v)) },
      ]}
    />
  );
}

function Recent({ executions }: { executions: ExecutionSummary[] }) {
  if (executions.length === 0) {
    return (
      <Empty title="Nothing has run yet">
        <Link href="/pipelines">Start a pipeline</Link> to see it here.
      </Empty>
    );
  }
  return (
    <ul class="recent-list">
      {executions.map((e) => (
        <li key={e.id}>
          <Link href={`/executions/${encodeURIComponent(e.id)}`} class="strong">
            {e.templateId}
          </Link>
          <StatusBadge status={e.status} />
          <span class="muted">
            {e.stepsDone}/{e.stepsTotal} steps
          </span>
          <span class="muted" title={formatTime(e.createdAt)}>
            {formatRelative(e.createdAt)}
          </span>
        </li>
      ))}
    </ul>
  );
}

function AgentHealth({ agents }: { agents: AgentSummary[] }) {
  if (agents.length === 0) return <Empty title="No agents registered" />;
  const counts = new Map<string, number>();
  for (const agent of agents) counts.set(agent.status, (counts.get(agent.status) ?? 0) + 1);
  const attention = agents.filter((a) => a.status === "down" || a.status === "degraded");
  return (
    <>
      <p class="health-summary">
        {[...counts].map(([status, count]) => (
          <StatusBadge key={status} status={status} label={`${count} ${status}`} />
        ))}
      </p>
      {attention.length === 0 ? (
        <p class="muted">Every enabled agent answers.</p>
      ) : (
        <ul class="plain">
          {attention.map((agent) => (
            <li key={agent.name}>
              <strong>{agent.name}</strong> <StatusBadge status={agent.status} /> <span class="muted">{agent.lastError ?? ""}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function MostRun({ templates }: { templates: Stats["topTemplates"] }) {
  const rows = templates.slice(0, 6);
  if (rows.length === 0) return <Empty title="No runs in the last 24 hours" />;
  const max = rows[0]?.created ?? 1;
  return (
    <ul class="bar-list">
      {rows.map((entry) => (
        <li key={entry.templateId}>
          <Link href={`/history${queryString({ template: entry.templateId })}`} class="mono">
            {entry.templateId}
          </Link>
          <span class="bar-track" aria-hidden="true">
            <span style={{ width: `${(entry.created / max) * 100}%` }} />
          </span>
          <span>
            {entry.created}
            {entry.failed ? <span class="muted"> ({entry.failed} failed)</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
