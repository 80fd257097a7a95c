/**
 * The dashboard: what is happening now (running, queued, waiting, failed today), how today goes
 * (success rate, cost), agent health, executions per hour and cost per day, the latest executions, and
 * the pipelines and concurrency keys that run most. It refreshes itself from the live feed.
 */
import type { AgentSummary } from "../../../shared/api/agents.ts";
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
import { daily, usage } from "./resources.tsx";

const HOUR = 3_600_000;

/** Executions created since `since`, newest first, up to `max` (several pages). */
async function executionsSince(since: number, max: number): Promise<{ executions: ExecutionSummary[]; complete: boolean }> {
  const executions: ExecutionSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await baton.executions.list({ since, limit: 200, ...(cursor ? { cursor } : {}) });
    executions.push(...page.executions);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && executions.length < max);
  return { executions, complete: cursor === undefined };
}

interface Snapshot {
  running: number;
  queued: number;
  waiting: number;
  waitingMore: boolean;
  keys: [string, number][];
}

async function snapshot(): Promise<Snapshot> {
  const [queue, waiting] = await Promise.all([
    baton.queue(),
    baton.executions.list({ status: ["waiting"], limit: 200 }),
  ]);
  const keys = new Map<string, number>();
  for (const row of [...queue.running, ...queue.queued]) {
    if (row.concurrencyKey) keys.set(row.concurrencyKey, (keys.get(row.concurrencyKey) ?? 0) + 1);
  }
  return {
    running: queue.running.length,
    queued: queue.queued.length,
    waiting: waiting.executions.length,
    waitingMore: waiting.nextCursor !== null,
    keys: [...keys].sort((a, b) => b[1] - a[1]).slice(0, 6),
  };
}

export function DashboardView() {
  const now = useResource(snapshot, [], { refreshMs: 15_000 });
  const day = useResource(() => executionsSince(Date.now() - 24 * HOUR, 1000), [], { refreshMs: 60_000 });
  const costToday = useResource(() => usage("day", startOfLocalDay()), [], { refreshMs: 60_000 });
  const costDays = useResource(() => usage("day", Date.now() - 13 * 86_400_000), [], { refreshMs: 300_000 });
  const agents = useResource(() => baton.agents.list(), [], { refreshMs: 30_000 });
  const pipelines = useResource(() => baton.templates.list(), []);
  const reloadNow = useThrottled(() => {
    now.reload();
    costToday.reload();
  }, 3000);
  // The day's executions take several pages: fetched again at most every 10 s.
  const reloadDay = useThrottled(day.reload, 10_000);
  useLiveEvents(() => {
    reloadNow();
    reloadDay();
  });

  const today = (day.data?.executions ?? []).filter((e) => e.createdAt >= startOfLocalDay());
  const completed = today.filter((e) => e.status === "completed").length;
  const failed = today.filter((e) => e.status === "failed").length;
  const successRate = completed + failed > 0 ? completed / (completed + failed) : null;

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
      {now.error ? <ErrorNotice error={now.error} retry={now.reload} title="Could not load the current state" /> : null}
      <div class="tiles">
        <Tile label="Running" value={now.data?.running} href="/queue" status="running" />
        <Tile label="Queued" value={now.data?.queued} href="/queue" status="queued" />
        <Tile label="Waiting" value={now.data ? `${now.data.waiting}${now.data.waitingMore ? "+" : ""}` : undefined} href="/history?status=waiting" status="waiting" />
        <Tile label="Failed today" value={day.data ? `${failed}${day.data.complete ? "" : "+"}` : undefined} href={`/history${queryString({ status: "failed" })}`} status="failed" />
        <Tile label="Success today" value={day.data ? formatPercent(successRate) : undefined} hint={day.data ? `${completed} of ${completed + failed} finished` : undefined} />
        <Tile label="Cost today" value={costToday.data ? formatUsd(costToday.data.total.costUsd) : undefined} href="/resources" />
      </div>
      <div class="grid-2">
        <div class="panel">
          <h2 class="panel-title">Executions per hour (24 h)</h2>
          <Guard resource={day}>{(data) => <PerHour executions={data.executions} />}</Guard>
        </div>
        <div class="panel">
          <h2 class="panel-title">Cost per day (14 days)</h2>
          <Guard resource={costDays}>
            {(report) => {
              const series = daily(report.rows, 14);
              return <Chart label="Cost per day" x={series.x} series={[{ label: "Cost", values: series.cost, color: "var(--accent)", format: formatUsd }]} />;
            }}
          </Guard>
        </div>
        <div class="panel">
          <div class="panel-head">
            <h2 class="panel-title">Recent executions</h2>
            <Link href="/history">All history</Link>
          </div>
          <Guard resource={day}>{(data) => <Recent executions={data.executions.slice(0, 8)} />}</Guard>
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
          <Guard resource={day}>{(data) => <MostRun executions={data.executions} />}</Guard>
        </div>
        <div class="panel">
          <h2 class="panel-title">Busiest concurrency keys (now)</h2>
          <Guard resource={now}>
            {(data) =>
              data.keys.length === 0 ? (
                <Empty title="No keyed executions running or queued" />
              ) : (
                <ul class="bar-list">
                  {data.keys.map(([key, count]) => (
                    <li key={key}>
                      <span class="mono">{key}</span>
                      <span class="bar-track" aria-hidden="true">
                        <span style={{ width: `${(count / (data.keys[0]?.[1] ?? 1)) * 100}%` }} />
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

function startOfLocalDay(): number {
  const date = new Date();
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
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

function PerHour({ executions }: { executions: ExecutionSummary[] }) {
  const end = Math.floor(Date.now() / HOUR) * HOUR;
  const x = Array.from({ length: 24 }, (_, i) => end - (23 - i) * HOUR);
  const started = x.map(() => 0);
  const failedPerHour = x.map(() => 0);
  for (const e of executions) {
    const index = 23 - Math.floor((end - Math.floor(e.createdAt / HOUR) * HOUR) / HOUR);
    if (index < 0 || index > 23) continue;
    started[index] = (started[index] ?? 0) + 1;
    if (e.status === "failed") failedPerHour[index] = (failedPerHour[index] ?? 0) + 1;
  }
  return (
    <Chart
      label="Executions started per hour over the last 24 hours"
      x={x}
      integer
      series={[
        { label: "Started", values: started, color: "var(--st-running)", format: (v) => String(Math.round(v)) },
        { label: "Failed", values: failedPerHour, color: "var(--danger)", format: (v) => String(Math.round(v)) },
      ]}
    />
  );
}

function Recent({ executions }: { executions: ExecutionSummary[] }) {
  if (executions.length === 0) {
    return (
      <Empty title="Nothing ran in the last 24 hours">
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

function MostRun({ executions }: { executions: ExecutionSummary[] }) {
  const counts = new Map<string, { runs: number; failed: number }>();
  for (const e of executions) {
    const entry = counts.get(e.templateId) ?? { runs: 0, failed: 0 };
    entry.runs++;
    if (e.status === "failed") entry.failed++;
    counts.set(e.templateId, entry);
  }
  const rows = [...counts].sort((a, b) => b[1].runs - a[1].runs).slice(0, 6);
  if (rows.length === 0) return <Empty title="No runs in the last 24 hours" />;
  const max = rows[0]?.[1].runs ?? 1;
  return (
    <ul class="bar-list">
      {rows.map(([template, entry]) => (
        <li key={template}>
          <Link href={`/history${queryString({ template })}`} class="mono">
            {template}
          </Link>
          <span class="bar-track" aria-hidden="true">
            <span style={{ width: `${(entry.runs / max) * 100}%` }} />
          </span>
          <span>
            {entry.runs}
            {entry.failed ? <span class="muted"> ({entry.failed} failed)</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
