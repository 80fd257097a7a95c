/**
 * An execution's logs: the stored lines, filtered by level, text and (optionally) the chosen step, paged
 * on request, with the lines that arrive on the live stream appended once everything before them is here.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { type Level, LogFilters, LogLines, matchesLog, type ShownLog } from "../../components/log-lines.tsx";
import { ErrorNotice } from "../../components/states.tsx";
import { notify } from "../../components/toasts.tsx";
import { baton, describeError } from "../../lib/api.ts";
import { useDebounced, useResource } from "../../lib/use-resource.ts";

export function ExecutionLogs({ executionId, step, live }: { executionId: string; step: string | null; live: ShownLog[] }) {
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
