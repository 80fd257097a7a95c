/**
 * One connection to `GET /v1/events` (every execution's lifecycle, budget alerts) shared by whatever is
 * on screen: views subscribe with `useLiveEvents` and reload what an event makes stale. The connection
 * reopens after errors, resuming after the last event seen.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { LiveEvent } from "../../../shared/execution.ts";
import { baton } from "./api.ts";

export type LiveState = "connecting" | "live" | "offline";

type Listener = (event: LiveEvent) => void;

const listeners = new Set<Listener>();
const stateListeners = new Set<(state: LiveState) => void>();
let state: LiveState = "connecting";
let started = false;

function setState(next: LiveState): void {
  if (next === state) return;
  state = next;
  for (const listener of stateListeners) listener(next);
}

async function run(): Promise<void> {
  let failures = 0;
  for (;;) {
    try {
      setState("connecting");
      const events = baton.liveEvents({
        maxRetries: 3,
        onReconnect: () => setState("connecting"),
      });
      for await (const event of events) {
        setState("live");
        failures = 0;
        for (const listener of listeners) listener(event);
      }
    } catch {
      // Reported as "offline" below; the loop tries again.
    }
    failures++;
    setState("offline");
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** failures, 30_000)));
  }
}

/** The connection counts as live as soon as it is open, even before the first event. */
function watchOpen(): void {
  setTimeout(() => {
    if (state === "connecting") setState("live");
  }, 1500);
}

function ensureStarted(): void {
  if (started) return;
  started = true;
  watchOpen();
  void run();
}

/** Calls `onEvent` for every live event while the component is mounted. */
export function useLiveEvents(onEvent: Listener): void {
  const ref = useRef(onEvent);
  ref.current = onEvent;
  useEffect(() => {
    ensureStarted();
    const listener: Listener = (event) => ref.current(event);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
}

export function useLiveState(): LiveState {
  const [value, setValue] = useState(state);
  useEffect(() => {
    ensureStarted();
    stateListeners.add(setValue);
    setValue(state);
    return () => void stateListeners.delete(setValue);
  }, []);
  return value;
}
