/**
 * What the gateway tells the registry after attempts, off the hot path: failures (each one, counted in
 * D1 so that every isolate's failures add up), the first success after failures (to close the circuit),
 * and the half-open probe. Successes of a healthy agent write nothing. Each report updates this
 * isolate's snapshot at once and D1 in the background.
 */
import { database } from "../db/client.ts";
import { afterFailure, CLOSED, type CircuitPolicy } from "./circuit.ts";
import { checkAgent } from "./health-check.ts";
import { loadSnapshot, patchAgent, type RegisteredAgent } from "./registry-snapshot.ts";
import { claimProbe, getAgentRow, recordFailure, recordRecovery } from "./registry-store.ts";

type WaitUntil = (promise: Promise<unknown>) => void;

export function reportFailure(env: Env, agent: RegisteredAgent, error: string, policy: CircuitPolicy, waitUntil: WaitUntil): void {
  const now = Date.now();
  // Counted here first, so this isolate stops calling as soon as its own count reaches the threshold.
  patchAgent(agent.name, { ...afterFailure(agent.consecutiveFailures + 1, now, policy), lastError: error });
  waitUntil(
    recordFailure(database(env.DB), agent.name, error, now, policy)
      .then((counted) => patchAgent(agent.name, { consecutiveFailures: counted.consecutiveFailures, circuitOpenUntil: counted.circuitOpenUntil }))
      .catch((e) => console.error(`recording a failure of agent ${agent.name} failed`, e)),
  );
}

export function reportRecovery(env: Env, agent: RegisteredAgent, waitUntil: WaitUntil): void {
  patchAgent(agent.name, { ...CLOSED, lastError: null });
  waitUntil(recordRecovery(database(env.DB), agent.name, Date.now()).catch((e) => console.error(`recording the recovery of agent ${agent.name} failed`, e)));
}

/** Agents this isolate is probing now, since when: one probe each, however many steps wait on them. */
const probing = new Map<string, number>();
/** A probe not done by then is taken for lost (its Durable Object went away mid-way). */
const PROBE_LOST_MS = 15_000;

/** The half-open probe: a health check, claimed in D1 so that one isolate probes while the others wait. */
export function startProbe(env: Env, agent: RegisteredAgent, policy: CircuitPolicy, waitUntil: WaitUntil): void {
  const now = Date.now();
  const since = probing.get(agent.name);
  if ((since !== undefined && now - since < PROBE_LOST_MS) || agent.circuitOpenUntil === null) return;
  probing.set(agent.name, now);
  const probe = async () => {
    const db = database(env.DB);
    if (!(await claimProbe(db, agent.name, agent.circuitOpenUntil!, now, policy))) {
      // Another isolate claimed it (or the circuit changed): learn its state instead of probing.
      await loadSnapshot(env);
      return;
    }
    const row = await getAgentRow(db, agent.name);
    if (row) await checkAgent(env, row);
  };
  waitUntil(
    probe()
      .catch((e) => console.error(`probing agent ${agent.name} failed`, e))
      .finally(() => {
        if (probing.get(agent.name) === now) probing.delete(agent.name);
      }),
  );
}
