/**
 * What an execution hands its control shard in one call: the lifecycle events for the live feed and the
 * history rows for D1. It travels with the start (`begin`), back from `admit`, with the end (`end`), and
 * on its own (`record`) only when the execution's status changes in between or a long step has run 10 s.
 */
import type { LiveEvent } from "#shared/execution.ts";
import type { HistoryRows } from "../history/rows.ts";
import type { QueueTicket } from "./control-shards.ts";

export interface Handover {
  /** Whose it is, and so which shard takes it. */
  ticket: QueueTicket;
  events: LiveEvent[];
  rows: HistoryRows | null;
}
