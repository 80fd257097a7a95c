/**
 * Logs of every recent execution in one place, newest at the bottom, following new lines as they come.
 * The API keeps logs per execution, so this view watches the latest executions and any that starts
 * while it is open (from the live feed), and asks each active one for lines after the last it has.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { terminalEventTypes, terminalExecutionStatuses } from "../../../shared/execution.ts";
import { type Level, LogFilters, LogLines, matchesLog, type ShownLog } from "../components/log-lines.tsx";
import { ErrorNotice } from "../components/states.tsx";
import { baton } from "../lib/api.ts";
import { useLiveEvents } from "../lib/live.ts";

interface Watched {
  templateId: string;
  after: number;
  active: boolean;
  /** Ended: one more poll collects its last lines, then it is left alone. */
  closing?: boolean;
}

const RECENT_EXECUTIONS = 20;
const MAX_LINES = 3000;
const POLL_MS = 2000;

export function LogsView() {
  const [lines, setLines] = useState<ShownLog[]>([]);
  const [level, setLevel] = useState<Level>("info");
  const [q, setQ] = useState("");
  const [template, setTemplate] = useState("");
  const [follow, setFollow] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [ready, setReady] = useState(false);
  const watched = useRef(new Map<string, Watched>());
  const polling = useRef(false);

  async function poll(everything: boolean): Promise<void> {
    if (polling.current) return;
    polling.current = true;
    try {
      const fresh: ShownLog[] = [];
      await Promise.all(
        [...watched.current].map(async ([id, w]) => {
          if (!everything && !w.active) return;
          const page = await baton.executions.logs(id, { after: w.after, limit: 500 });
          const last = page.logs[page.logs.length - 1];
          if (last) w.after = last.seq;
          for (const line of page.logs) fresh.push({ ...line, executionId: id, templateId: w.templateId });
          if (w.closing) {
            w.active = false;
            w.closing = false;
          }
        }),
      );
      if (fresh.length > 0) setLines((old) => [...old, ...fresh].sort((a, b) => a.at - b.at || a.seq - b.seq).slice(-MAX_LINES));
      setError(null);
    } catch (caught) {
      setError(caught);
    } finally {
      polling.current = false;
    }
  }

  useEffect(() => {
    let stopped = false;
    void (async () => {
      try {
        const page = await baton.executions.list({ limit: RECENT_EXECUTIONS });
        for (const e of page.executions) {
          watched.current.set(e.id, { templateId: e.templateId, after: 0, active: !terminalExecutionStatuses.has(e.status) });
        }
        await poll(true);
      } catch (caught) {
        setError(caught);
      } finally {
        if (!stopped) setReady(true);
      }
    })();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void poll(false);
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  useLiveEvents((event) => {
    if (!("executionId" in event)) return;
    const known = watched.current.get(event.executionId);
    const ended = terminalEventTypes.has(event.type);
    if (!known) {
      const templateId = typeof event.data.templateId === "string" ? event.data.templateId : event.executionId;
      watched.current.set(event.executionId, { templateId, after: 0, active: true, closing: ended });
    } else {
      known.active = true;
      known.closing = ended;
    }
  });

  const templates = useMemo(() => [...new Set(lines.map((l) => l.templateId ?? ""))].filter(Boolean).sort(), [lines]);
  const shown = useMemo(
    () => lines.filter((line) => matchesLog(line, { level, q }) && (!template || line.templateId === template)),
    [lines, level, q, template],
  );

  return (
    <section>
      <div class="page-head">
        <h1>Logs</h1>
        <p class="muted">The latest {RECENT_EXECUTIONS} executions and every one that starts while this page is open.</p>
      </div>
      <div class="panel">
        <LogFilters level={level} q={q} follow={follow} onLevel={setLevel} onQuery={setQ} onFollow={setFollow} idPrefix="logs">
          <label>
            <span class="field-label">Pipeline</span>
            <select value={template} onChange={(e) => setTemplate(e.currentTarget.value)}>
              <option value="">All</option>
              {templates.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        </LogFilters>
        {error ? <ErrorNotice error={error} title="Could not fetch new lines" /> : null}
        <LogLines
          lines={shown}
          follow={follow}
          showExecution
          tall
          empty={!ready ? "Loading…" : lines.length === 0 ? "No log lines yet. Agents' log lines show up here as they write them." : "No line matches the filters."}
        />
        <p class="muted small">
          {shown.length} of {lines.length} lines
        </p>
      </div>
    </section>
  );
}
