/**
 * The execution page's live state: the state loaded once, then every event of the execution's stream
 * folded into it by the shared reducer (`shared/client/reduce.ts`, the same one the CLI uses), so the
 * page does not ask the API again while it runs. Only the events whose data cannot carry the change
 * (fan-out item counts) and the end of the stream fetch the state again. Log lines and streamed text
 * from the stream are collected for the logs panel and the step details.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { applyEvent, outrunsState } from "../../../../shared/client/reduce.ts";
import { isEventOf } from "../../../../shared/events.ts";
import { type ExecutionState, terminalExecutionStatuses } from "../../../../shared/execution.ts";
import type { ShownLog } from "../../components/log-lines.tsx";
import { baton } from "../../lib/api.ts";
import { useThrottled } from "../../lib/use-resource.ts";

/** Enough of a step's streamed text for its detail panel; older text scrolls away. */
const STREAM_KEEP_CHARS = 20_000;

export type Following = "live" | "reconnecting" | "ended" | "error";

export interface LiveExecution {
  state: ExecutionState;
  following: Following;
  /** Log lines that arrived on the stream since the page opened. */
  liveLogs: ShownLog[];
  /** What steps have streamed since the page opened, by step id (`step.stream` events; items left out). */
  streams: ReadonlyMap<string, string>;
  /** Shows a state an action answered with (or a fetched one), unless the page already shows a newer one. */
  accept(state: ExecutionState): void;
}

export function useLiveExecution(loaded: ExecutionState, reload: () => void): LiveExecution {
  const [state, setState] = useState(loaded);
  const [following, setFollowing] = useState<Following>(terminalExecutionStatuses.has(loaded.status) ? "ended" : "live");
  const [liveLogs, setLiveLogs] = useState<ShownLog[]>([]);
  const [streams, setStreams] = useState<ReadonlyMap<string, string>>(new Map());
  const current = useRef(state);
  const refresh = useThrottled(reload, 250);

  const accept = useCallback((next: ExecutionState) => {
    // A fetch that started before the last events arrived must not take them back.
    if (next.id === current.current.id && next.lastEventSeq < current.current.lastEventSeq) return;
    current.current = next;
    setState(next);
  }, []);
  useEffect(() => accept(loaded), [loaded]);

  const ended = terminalExecutionStatuses.has(state.status);
  // Follow the event stream from where the shown state stops; it ends by itself with the execution.
  useEffect(() => {
    if (ended) return;
    const controller = new AbortController();
    setFollowing("live");
    void (async () => {
      try {
        for await (const event of baton.executions.events(state.id, {
          after: current.current.lastEventSeq,
          signal: controller.signal,
          onReconnect: () => setFollowing("reconnecting"),
        })) {
          setFollowing("live");
          current.current = applyEvent(current.current, event);
          setState(current.current);
          if (outrunsState(event)) refresh();
          if (isEventOf(event, "step.stream") && event.data.item === undefined) {
            const { stepId, chunk } = event.data;
            setStreams((texts) => new Map(texts).set(stepId, ((texts.get(stepId) ?? "") + chunk).slice(-STREAM_KEEP_CHARS)));
          }
          if (isEventOf(event, "step.log")) {
            const { stepId, attempt, level, message, item } = event.data;
            setLiveLogs((lines) => [...lines, { seq: event.seq, at: event.at, stepId, attempt, level, message, ...(item !== undefined ? { item } : {}) }]);
          }
        }
        if (!controller.signal.aborted) {
          setFollowing("ended");
          // The final state has what events only summarize (every output, item counts).
          reload();
        }
      } catch {
        if (!controller.signal.aborted) setFollowing("error");
      }
    })();
    return () => controller.abort();
  }, [state.id, ended]);

  return { state, following, liveLogs, streams, accept };
}
