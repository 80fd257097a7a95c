/**
 * Log lines as a scrolling list that follows new lines as they arrive, unless the reader scrolled up or
 * paused it; shared by an execution's logs and the global Logs tab.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { LogLine } from "../../../shared/api/executions.ts";
import { formatClock, formatTime } from "../lib/format.ts";
import { Link } from "./link.tsx";

export type ShownLog = LogLine & { executionId?: string; templateId?: string };

export const levelRank = { debug: 0, info: 1, warn: 2, error: 3 } as const;
export type Level = keyof typeof levelRank;

export function matchesLog(line: ShownLog, filters: { level: Level; q: string; step?: string | null }): boolean {
  if (levelRank[line.level] < levelRank[filters.level]) return false;
  if (filters.step && line.stepId !== filters.step) return false;
  if (filters.q) {
    const q = filters.q.toLowerCase();
    if (!line.message.toLowerCase().includes(q) && !line.stepId.toLowerCase().includes(q)) return false;
  }
  return true;
}

export function LogLines({
  lines,
  follow,
  showExecution,
  empty,
  tall,
}: {
  lines: ShownLog[];
  follow: boolean;
  showExecution?: boolean;
  empty: string;
  /** Fill the window (the Logs tab) instead of a fixed height. */
  tall?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);
  return (
    <div class={tall ? "log-box log-box-tall" : "log-box"} ref={box} tabIndex={0} role="log" aria-label="Log lines" aria-live="off">
      {lines.length === 0 ? (
        <p class="muted log-empty">{empty}</p>
      ) : (
        <table class="log-table">
          <tbody>
            {lines.map((line) => (
              <tr key={`${line.executionId ?? ""}:${line.seq}`} class={`log-${line.level}`}>
                <td class="log-time" title={formatTime(line.at)}>
                  {formatClock(line.at)}
                </td>
                <td class="log-level">{line.level}</td>
                {showExecution ? (
                  <td class="log-exec">
                    {line.executionId ? (
                      <Link href={`/executions/${encodeURIComponent(line.executionId)}`} class="mono">
                        {line.templateId ?? line.executionId}
                      </Link>
                    ) : null}
                  </td>
                ) : null}
                <td class="log-step mono">
                  {line.stepId}
                  {line.item !== undefined ? `[${line.item}]` : ""}
                  {line.attempt > 1 ? ` #${line.attempt}` : ""}
                </td>
                <td class="log-message">{line.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The level, search and follow controls above a log list. */
export function LogFilters({
  level,
  q,
  follow,
  onLevel,
  onQuery,
  onFollow,
  idPrefix,
  children,
}: {
  level: Level;
  q: string;
  follow: boolean;
  onLevel(level: Level): void;
  onQuery(q: string): void;
  onFollow(follow: boolean): void;
  idPrefix: string;
  children?: ComponentChildren;
}) {
  return (
    <div class="filters">
      <label>
        <span class="field-label">Level</span>
        <select id={`${idPrefix}-level`} value={level} onChange={(e) => onLevel(e.currentTarget.value as Level)}>
          <option value="debug">debug and up</option>
          <option value="info">info and up</option>
          <option value="warn">warn and up</option>
          <option value="error">error only</option>
        </select>
      </label>
      <label class="grow">
        <span class="field-label">Search</span>
        <input id={`${idPrefix}-q`} type="search" placeholder="Text in the message" value={q} onInput={(e) => onQuery(e.currentTarget.value)} />
      </label>
      {children}
      <label class="check">
        <input type="checkbox" checked={follow} onChange={(e) => onFollow(e.currentTarget.checked)} />
        Auto-scroll
      </label>
    </div>
  );
}
