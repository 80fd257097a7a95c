/**
 * Logs of every execution in one place (`GET /v1/logs`), newest at the bottom. Level, pipeline and text
 * filters run on the server, so they search all of history, not only what is loaded; while "follow" is
 * on, lines that arrive are fetched by id (`after`), so none is missed; "Older lines" pages back.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { LogEntry, LogSearch } from "../../../shared/api/logs.ts";
import { type Level, LogFilters, LogLines, type ShownLog } from "../components/log-lines.tsx";
import { ErrorNotice } from "../components/states.tsx";
import { baton } from "../lib/api.ts";
import { useDebounced, useResource } from "../lib/use-resource.ts";

const PAGE = 500;
const MAX_LINES = 5000;
const POLL_MS = 2000;

function shown(entry: LogEntry): ShownLog {
  return {
    seq: entry.id,
    at: entry.at,
    stepId: entry.stepId,
    ...(entry.item !== null ? { item: entry.item } : {}),
    attempt: entry.attempt,
    level: entry.level,
    message: entry.message,
    executionId: entry.executionId,
    ...(entry.templateId ? { templateId: entry.templateId } : {}),
  };
}

export function LogsView() {
  const [lines, setLines] = useState<ShownLog[]>([]);
  const [level, setLevel] = useState<Level>("info");
  const [q, setQ] = useState("");
  const [template, setTemplate] = useState("");
  const [follow, setFollow] = useState(true);
  const [older, setOlder] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [ready, setReady] = useState(false);
  const templates = useResource(() => baton.templates.list(), []);
  const query = useDebounced(q.trim(), 300);
  const newest = useRef(0);
  /** Bumped by every new filter: an answer for older filters is dropped. */
  const generation = useRef(0);

  const filters = (): LogSearch => ({ level, ...(query ? { q: query } : {}), ...(template ? { template } : {}) });

  useEffect(() => {
    const mine = ++generation.current;
    setReady(false);
    void baton.logs({ ...filters(), limit: PAGE }).then(
      (page) => {
        if (mine !== generation.current) return;
        setLines(page.logs.map(shown).reverse());
        newest.current = page.logs[0]?.id ?? newest.current;
        setOlder(page.nextCursor);
        setError(null);
        setReady(true);
      },
      (caught: unknown) => {
        setError(caught);
        setReady(true);
      },
    );
  }, [level, query, template]);

  useEffect(() => {
    if (!follow) return;
    let polling = false;
    const timer = setInterval(() => {
      if (polling || document.visibilityState !== "visible") return;
      polling = true;
      const mine = generation.current;
      baton
        .logs({ ...filters(), after: newest.current, limit: PAGE })
        .then((page) => {
          if (mine !== generation.current || page.logs.length === 0) return;
          newest.current = page.logs[page.logs.length - 1]!.id;
          setLines((old) => [...old, ...page.logs.map(shown)].slice(-MAX_LINES));
          setError(null);
        })
        .catch((caught: unknown) => setError(caught))
        .finally(() => {
          polling = false;
        });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [follow, level, query, template]);

  async function loadOlder(): Promise<void> {
    if (!older) return;
    try {
      const page = await baton.logs({ ...filters(), cursor: older, limit: PAGE });
      setLines((old) => [...page.logs.map(shown).reverse(), ...old]);
      setOlder(page.nextCursor);
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <section>
      <div class="page-head">
        <h1>Logs</h1>
        <p class="muted">Agents' log lines from every execution, searched on the server.</p>
      </div>
      <div class="panel">
        <LogFilters level={level} q={q} follow={follow} onLevel={setLevel} onQuery={setQ} onFollow={setFollow} idPrefix="logs">
          <label>
            <span class="field-label">Pipeline</span>
            <select value={template} onChange={(e) => setTemplate(e.currentTarget.value)}>
              <option value="">All</option>
              {(templates.data ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.id}
                </option>
              ))}
            </select>
          </label>
        </LogFilters>
        {error ? <ErrorNotice error={error} title="Could not fetch log lines" /> : null}
        {older ? (
          <button type="button" class="button button-small" onClick={() => void loadOlder()}>
            Older lines
          </button>
        ) : null}
        <LogLines
          lines={lines}
          follow={follow}
          showExecution
          tall
          empty={!ready ? "Loading…" : query || template ? "No line matches the filters." : "No log lines yet. Agents' log lines show up here as they write them."}
        />
        <p class="muted small">{lines.length} lines</p>
      </div>
    </section>
  );
}
