/**
 * Resources: spend and tokens by day, pipeline and agent as charts; the budgets and how much of each is
 * left today; and the locks, with who holds them and who waits (a stuck holder can be released).
 */
import { useState } from "preact/hooks";
import { DataTable } from "../components/data-table.tsx";
import { Chart } from "../components/chart.tsx";
import { useConfirm } from "../components/confirm.tsx";
import { Link } from "../components/link.tsx";
import { Empty, Guard } from "../components/states.tsx";
import type { LockState, UsageGrouping, UsageReport, UsageRow } from "../../../shared/api/resources.ts";
import { notify } from "../components/toasts.tsx";
import { baton, describeError, extra } from "../lib/api.ts";
import { formatCount, formatRelative, formatTime, formatUsd, startOfUtcDay } from "../lib/format.ts";
import { useLiveEvents } from "../lib/live.ts";
import { useNow, useResource, useThrottled } from "../lib/use-resource.ts";

const DAY = 86_400_000;

function usage(groupBy: UsageGrouping, since: number): Promise<UsageReport> {
  return baton.usage({ groupBy, since });
}

/** Every day of the range, zero where nothing was spent, for a chart without gaps. */
function daily(rows: UsageRow[], days: number): { x: number[]; cost: number[]; tokens: number[] } {
  const byDay = new Map(rows.map((r) => [r.key, r]));
  const x: number[] = [];
  const cost: number[] = [];
  const tokens: number[] = [];
  const today = startOfUtcDay();
  for (let i = days - 1; i >= 0; i--) {
    const at = today - i * DAY;
    const row = byDay.get(new Date(at).toISOString().slice(0, 10));
    x.push(at);
    cost.push(row?.costUsd ?? 0);
    tokens.push(row ? row.inputTokens + row.outputTokens : 0);
  }
  return { x, cost, tokens };
}

export function ResourcesView() {
  const [days, setDays] = useState(14);
  const since = startOfUtcDay() - (days - 1) * DAY;
  const byDay = useResource(() => usage("day", since), [since]);
  const byTemplate = useResource(() => usage("template", since), [since]);
  const byAgent = useResource(() => usage("agent", since), [since]);
  const today = useResource(() => Promise.all([usage("template", startOfUtcDay()), baton.config.get()]), []);
  const locks = useResource(async () => (await baton.locks()).locks, [], { refreshMs: 5000 });
  const reload = useThrottled(() => {
    byDay.reload();
    byTemplate.reload();
    byAgent.reload();
    today.reload();
    locks.reload();
  }, 3000);
  useLiveEvents((event) => {
    if (event.type === "execution.completed" || event.type === "execution.failed" || event.type === "budget.alert") reload();
  });

  return (
    <section>
      <div class="page-head">
        <h1>Resources</h1>
        <div class="page-actions">
          <label>
            <span class="visually-hidden">Range</span>
            <select value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
              <option value={7}>Last 7 days</option>
              <option value={14}>Last 14 days</option>
              <option value={30}>Last 30 days</option>
              <option value={90}>Last 90 days</option>
            </select>
          </label>
        </div>
      </div>
      <div class="grid-2">
        <div class="panel">
          <h2 class="panel-title">Cost per day</h2>
          <Guard resource={byDay}>
            {(report) => {
              const series = daily(report.rows, days);
              return (
                <>
                  <p class="big-number">
                    {formatUsd(report.total.costUsd)}{" "}
                    <span class="muted">
                      in {days} days · {formatCount(report.total.executions)} execution{report.total.executions === 1 ? "" : "s"}
                    </span>
                  </p>
                  <Chart label="Cost per day" x={series.x} series={[{ label: "Cost", values: series.cost, color: "var(--accent)", format: formatUsd }]} />
                </>
              );
            }}
          </Guard>
        </div>
        <div class="panel">
          <h2 class="panel-title">Tokens per day</h2>
          <Guard resource={byDay}>
            {(report) => {
              const series = daily(report.rows, days);
              return (
                <>
                  <p class="big-number">
                    {formatCount(report.total.inputTokens + report.total.outputTokens)}{" "}
                    <span class="muted">
                      tokens · {formatCount(report.total.inputTokens)} in, {formatCount(report.total.outputTokens)} out
                    </span>
                  </p>
                  <Chart label="Tokens per day" x={series.x} series={[{ label: "Tokens", values: series.tokens, color: "var(--info)", format: formatCount }]} />
                </>
              );
            }}
          </Guard>
        </div>
        <BreakdownPanel title="Cost by pipeline" resource={byTemplate} empty="No pipeline has spent anything in this range." />
        <BreakdownPanel title="Cost by agent" resource={byAgent} empty="No agent has spent anything in this range." />
      </div>
      <div class="panel">
        <h2 class="panel-title">Budgets today (UTC)</h2>
        <Guard resource={today}>{([report, config]) => <Budgets report={report} config={config} />}</Guard>
      </div>
      <div class="panel">
        <h2 class="panel-title">Locks</h2>
        <Guard resource={locks}>{(list) => <Locks locks={list} onChange={locks.reload} />}</Guard>
      </div>
    </section>
  );
}

function BreakdownPanel({ title, resource, empty }: { title: string; resource: Parameters<typeof Guard<UsageReport>>[0]["resource"]; empty: string }) {
  return (
    <div class="panel">
      <h2 class="panel-title">{title}</h2>
      <Guard resource={resource}>
        {(report) => {
          const rows = [...report.rows].sort((a, b) => b.costUsd - a.costUsd).slice(0, 12);
          if (rows.length === 0) return <Empty title={empty} />;
          return (
            <>
              <Chart label={title} categories={rows.map((r) => r.key)} series={[{ label: "Cost", values: rows.map((r) => r.costUsd), color: "var(--accent)", format: formatUsd }]} />
              <DataTable
                compact
                rows={rows}
                rowKey={(r) => r.key}
                columns={[
                  { header: "Name", class: "mono", cell: (r) => r.key },
                  { header: "Cost", cell: (r) => formatUsd(r.costUsd) },
                  { header: "Executions", cell: (r) => formatCount(r.executions) },
                  { header: "Tokens in / out", cell: (r) => `${formatCount(r.inputTokens)} / ${formatCount(r.outputTokens)}` },
                ]}
              />
            </>
          );
        }}
      </Guard>
    </div>
  );
}

function Meter({ label, spent, limit }: { label: string; spent: number; limit: number | null }) {
  if (limit === null) {
    return (
      <div class="meter-row">
        <div class="meter-label">
          <span>{label}</span>
          <span>
            {formatUsd(spent)} spent · <span class="muted">no limit</span>
          </span>
        </div>
      </div>
    );
  }
  const ratio = limit > 0 ? spent / limit : 1;
  const tone = ratio >= 1 ? "over" : ratio >= 0.8 ? "near" : "ok";
  return (
    <div class="meter-row">
      <div class="meter-label">
        <span>{label}</span>
        <span>
          {formatUsd(spent)} of {formatUsd(limit)} · <strong>{ratio >= 1 ? "spent: new starts are refused" : `${formatUsd(limit - spent)} left`}</strong>
        </span>
      </div>
      <meter class={`meter meter-${tone}`} min={0} max={limit} low={limit * 0.8} high={limit * 0.99} optimum={0} value={Math.min(spent, limit)} aria-label={`${label}: ${formatUsd(spent)} of ${formatUsd(limit)}`} />
    </div>
  );
}

function Budgets({ report, config }: { report: UsageReport; config: Awaited<ReturnType<typeof baton.config.get>> }) {
  const perTemplate = Object.entries(config.templateDailyBudgetsUsd);
  return (
    <>
      <Meter label="All pipelines" spent={report.total.costUsd} limit={config.dailyBudgetUsd} />
      {perTemplate.map(([template, limit]) => (
        <Meter key={template} label={template} spent={report.rows.find((r) => r.key === template)?.costUsd ?? 0} limit={limit} />
      ))}
      <p class="muted small">
        Each execution stops at its pipeline's <span class="mono">budget.maxCostUsd</span>
        {config.defaultExecutionBudgetUsd !== null ? `, or ${formatUsd(config.defaultExecutionBudgetUsd)} when it sets none` : ""}. <Link href="/config">Change budgets</Link>
      </p>
    </>
  );
}

/** The step of a lock's step key (`publish`, or `publish#3` for an item of a fan-out; `#-1` is no item). */
function stepOf(stepKey: string): string {
  const [step, item] = stepKey.split("#");
  return item === undefined || item === "-1" ? (step ?? stepKey) : `${step}[${item}]`;
}

function Locks({ locks, onChange }: { locks: LockState[]; onChange(): void }) {
  const { element: dialog, confirm } = useConfirm();
  const now = useNow(1000);
  if (locks.length === 0) return <Empty title="No locks">Steps that declare <span class="mono">locks</span> share the named resources listed here.</Empty>;

  async function release(name: string, holder?: string): Promise<void> {
    const ok = await confirm({
      title: holder ? `Release ${name} from ${holder}?` : `Release every holder of ${name}?`,
      body: "Only for a holder that is stuck: the step that holds it keeps running, and another may take the lock at the same time.",
      confirmLabel: "Release",
      danger: true,
    });
    if (!ok) return;
    try {
      const result = await extra.releaseLock(name, holder);
      notify(`Released ${result.released.length} holder${result.released.length === 1 ? "" : "s"} of ${name}`);
      onChange();
    } catch (error) {
      notify(`Could not release: ${describeError(error)}`, "error");
    }
  }

  return (
    <>
      {dialog}
      <DataTable
        rows={locks}
        rowKey={(lock) => lock.name}
        columns={[
          { header: "Lock", class: "mono", cell: (lock) => lock.name },
          { header: "In use", cell: (lock) => `${lock.holders.length}/${lock.capacity}` },
          {
            header: "Held by",
            cell: (lock) => (
              <>
                {lock.holders.length === 0 ? <span class="muted">free</span> : null}
                <ul class="plain">
                  {lock.holders.map((h) => (
                    <li key={h.holder}>
                      <Link href={`/executions/${encodeURIComponent(h.executionId)}`} class="mono">
                        {h.executionId}
                      </Link>{" "}
                      <span class="mono">{stepOf(h.stepKey)}</span>{" "}
                      <span class="muted" title={formatTime(h.expiresAt)}>
                        since {formatRelative(h.acquiredAt, now)}, lease ends {formatRelative(h.expiresAt, now)}
                      </span>{" "}
                      <button type="button" class="button button-small button-danger-quiet" onClick={() => void release(lock.name, h.holder)}>
                        Release
                      </button>
                    </li>
                  ))}
                </ul>
              </>
            ),
          },
          {
            header: "Waiting",
            cell: (lock) => (
              <>
                {lock.waiters.length === 0 ? <span class="muted">none</span> : null}
                <ul class="plain">
                  {lock.waiters.map((w) => (
                    <li key={w.holder}>
                      <Link href={`/executions/${encodeURIComponent(w.executionId)}`} class="mono">
                        {w.executionId}
                      </Link>{" "}
                      <span class="mono">{stepOf(w.stepKey)}</span>{" "}
                      <span class="muted">for {formatRelative(w.since, now).replace(" ago", "")}</span>
                    </li>
                  ))}
                </ul>
              </>
            ),
          },
        ]}
      />
    </>
  );
}
