/** What a start hands a new execution's Durable Object. */
import type { Template } from "#shared/template.ts";
import type { AuditRow } from "../audit/record.ts";
import type { EngineLimits } from "./core/limits.ts";
import type { ForkSeed } from "./core/state.ts";

export interface ExecutionInit {
  id: string;
  template: Template;
  templateVersion: number;
  params: Record<string, unknown>;
  priority: number;
  idempotencyKey: string | null;
  concurrencyKey: string | null;
  rateKey: string | null;
  parent: { executionId: string; stepId: string } | null;
  createdBy: string;
  budgetUsd: number | null;
  requiresStartApproval: boolean;
  /** The bounds the execution runs under (from `/v1/config`); the defaults when absent. */
  limits?: EngineLimits;
  /** The audit entry of the start, written in the same D1 batch as the execution's first row; null when unaudited (child executions). */
  audit: AuditRow | null;
  /** A fork: the origin, its first step, and the origin's outputs it takes over. */
  fork?: ForkSeed;
}
