/**
 * History: every execution, newest first, filtered by status, pipeline, agent, dates and text, page by
 * page (cursor paging). The filters live in the address, so a filtered list can be shared or reloaded.
 */
import { useEffect, useState } from "preact/hooks";
import { type ExecutionStatus, executionStatuses } from "../../../shared/execution.ts";
import { DataTable } from "../components/data-table.tsx";
import { Link } from "../components/link.tsx";
import { Empty, Guard } from "../components/states.tsx";
import { StatusBadge } from "../components/status.tsx";
import { baton } from "../lib/api.ts";
import { formatDuration, formatRelative, formatTime, formatUsd, previewJson } from "../lib/format.ts";
import { useLiveEvents } from "../lib/live.ts";
import { navigate, queryString, useLocation } from "../lib/router.ts";
import { useDebounced, useResource, useThrottled } from "../lib/use-resource.ts";

/** `2026-11-23` in local time → epoch ms at its start (or its end, for "until"). */
function dayToMs(day: string, end: boolean): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return end ? new Date(y, m - 1, d + 1).getTime() - 1 : new Date(y, m - 1, d).getTime();
}

export function HistoryView() {
  const { query } = useLocation();
  const statuses = (query.get("status") ?? "").split(",").filter((s): s is ExecutionStatus => (executionStatuses as readonly string[]).includes(s));
  const template = query.get("template") ?? "";
  const agent = query.get("agent") ?? "";
  const since = query.get("since") ?? "";
  const until = query.get("until") ?? "";
  const cursor = query.get("cursor") ?? "";
  const [text, setText] = useState(query.get("q") ?? "");
  const q = useDebounced(text, 350);
  // Cursors of the pages before this one, for "Newer".
  const [trail, setTrail] = useState<string[]>([]);

  const templates = useResource(() => baton.templates.list({ includeArchived: true }), []);
  const agents = useResource(() => baton.agents.list(), []);

  function update(changes: Record<string, string | undefined>, keepCursor = false): void {
    const next = { status: statuses.join(","), template, agent, since, until, q, ...changes, cursor: keepCursor ? (changes.cursor ?? cursor) : undefined };
    if (!keepCursor) setTrail([]);
    navigate(`/history${queryString(next)}`, { replace: true });
  }

  // The search box writes to the address once typing pauses.
  useEffect(() => {
    if (q !== (query.get("q") ?? "")) update({ q });
  }, [q]);

  const page = useResource(
    () =>
      baton.executions.list({
        limit: 25,
        ...(statuses.length ? { status: statuses } : {}),
        ...(template ? { template } : {}),
        ...(agent ? { agent } : {}),
        ...(dayToMs(since, false) !== undefined ? { since: dayToMs(since, false) } : {}),
        ...(dayToMs(until, true) !== undefined ? { until: dayToMs(until, true) } : {}),
        ...(query.get("q") ? { q: query.get("q") as string } : {}),
        ...(cursor ? { cursor } : {}),
      }),
    [query.toString()],
  );
  const reload = useThrottled(page.reload, 1000);
  useLiveEvents(() => {
    if (!cursor) reload();
  });
  const filtered = statuses.length > 0 || template || agent || since || until || query.get("q");

  return (
    <section>
      <div class="page-head">
        <h1>History</h1>
      </div>
      <form class="panel filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <fieldset class="status-filter">
          <legend class="field-label">Status</legend>
          {executionStatuses.map((status) => (
            <label key={status} class="check">
              <input
                type="checkbox"
                checked={statuses.includes(status)}
                onChange={(e) =>
                  update({ status: (e.currentTarget.checked ? [...statuses, status] : statuses.filter((s) => s !== status)).join(",") })
                }
              />
              {status}
            </label>
          ))}
        </fieldset>
        <label>
          <span class="field-label">Pipeline</span>
          <select value={template} onChange={(e) => update({ template: e.currentTarget.value })}>
            <option value="">All</option>
            {(templates.data ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span class="field-label">Agent</span>
          <select value={agent} onChange={(e) => update({ agent: e.currentTarget.value })}>
            <option value="">All</option>
            {(agents.data ?? []).map((a) => (
              <option key={a.name} value={a.name}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span class="field-label">From</span>
          <input type="date" value={since} onChange={(e) => update({ since: e.currentTarget.value })} />
        </label>
        <label>
          <span class="field-label">To</span>
          <input type="date" value={until} onChange={(e) => update({ until: e.currentTarget.value })} />
        </label>
        <label class="grow">
          <span class="field-label">Search</span>
          <input type="search" placeholder="Id, pipeline, params, error…" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        {filtered ? (
          <button
            type="button"
            class="button button-small button-quiet"
            onClick={() => {
              setText("");
              setTrail([]);
              navigate("/history", { replace: true });
            }}
          >
            Clear filters
          </button>
        ) : null}
      </form>
      <Guard resource={page} label="Loading history…">
        {(result) =>
          result.executions.length === 0 ? (
            <Empty title={filtered ? "No execution matches these filters" : "No executions yet"}>
              {filtered ? "Loosen a filter, or clear them." : <Link href="/pipelines">Start a pipeline</Link>}
            </Empty>
          ) : (
            <>
              <DataTable
                testId="history-table"
                rows={result.executions}
                rowKey={(e) => e.id}
                columns={[
                  {
                    header: "Execution",
                    cell: (e) => (
                      <>
                        <Link href={`/executions/${encodeURIComponent(e.id)}`} class="strong">
                          {e.templateId}
                        </Link>
                        <div class="muted mono">{e.id}</div>
                      </>
                    ),
                  },
                  {
                    header: "Status",
                    cell: (e) => (
                      <>
                        <StatusBadge status={e.status} />
                        {e.error ? <div class="muted small clamp">{e.error.message}</div> : null}
                      </>
                    ),
                  },
                  { header: "Params", class: "mono small", cell: (e) => previewJson(e.params, 60) },
                  { header: "Steps", cell: (e) => `${e.stepsDone}/${e.stepsTotal}` },
                  { header: "Cost", cell: (e) => formatUsd(e.costUsd) },
                  { header: "Started", title: (e) => formatTime(e.createdAt), cell: (e) => formatRelative(e.createdAt) },
                  { header: "Took", cell: (e) => (e.startedAt ? formatDuration((e.endedAt ?? Date.now()) - e.startedAt) : "—") },
                ]}
              />
              <nav class="pager" aria-label="Pages">
                <button
                  type="button"
                  class="button button-small"
                  disabled={!cursor}
                  onClick={() => {
                    const previous = trail[trail.length - 1];
                    setTrail(trail.slice(0, -1));
                    update({ cursor: previous ?? "" }, true);
                  }}
                >
                  ← Newer
                </button>
                <button
                  type="button"
                  class="button button-small"
                  disabled={!result.nextCursor}
                  onClick={() => {
                    setTrail([...trail, cursor]);
                    update({ cursor: result.nextCursor ?? "" }, true);
                  }}
                >
                  Older →
                </button>
              </nav>
            </>
          )
        }
      </Guard>
    </section>
  );
}
