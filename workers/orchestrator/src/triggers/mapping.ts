/**
 * From an event to what a trigger starts: its params mapping, debounce or batch key and idempotency key
 * are template references over the event (`{{payload.…}}`, `{{headers.<name>}}`), resolved by the same
 * code that resolves a template's references, so the syntax and its rules are the ones users know.
 */
import type { TriggerDefinition } from "#shared/api/triggers.ts";
import type { FieldIssue } from "#shared/errors.ts";
import { findReferences } from "../templates/references.ts";
import { type ReferenceScope, resolveValue, UnresolvedReferenceError } from "../templates/resolve.ts";

export interface TriggerEvent {
  payload: unknown;
  /** Lowercased header names. */
  headers: Readonly<Record<string, string>>;
}

export interface MappedEvent {
  params: Record<string, unknown>;
  /** The debounce or batch key ("" for a batch without one); null when the trigger neither debounces nor batches. */
  bufferKey: string | null;
  idempotencyKey: string | null;
}

export type MappingResult = { ok: true; mapped: MappedEvent } | { ok: false; issues: FieldIssue[] };

/** The fields of a trigger that are read as references over the event, with their paths. */
function mappedFields(trigger: TriggerDefinition): Array<[string, unknown]> {
  return [
    ["params", trigger.params],
    ["debounce.key", trigger.debounce?.key],
    ["batch.key", trigger.batch?.key],
    ["idempotencyKey", trigger.idempotencyKey],
  ];
}

/** References that cannot work in a trigger (another scope, or malformed), each at its path. */
export function mappingIssues(trigger: TriggerDefinition): FieldIssue[] {
  return mappedFields(trigger).flatMap(([base, value]) =>
    findReferences(value).flatMap((found): FieldIssue[] => {
      const path = [base, ...found.path].join(".");
      if (found.problem !== undefined) return [{ path, message: found.problem }];
      if (found.reference.scope === "payload" || found.reference.scope === "headers") return [];
      return [{ path, message: `${found.source} cannot be used in a trigger: use {{payload.…}} or {{headers.<name>}}` }];
    }),
  );
}

function asKey(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function mapEvent(trigger: TriggerDefinition, event: TriggerEvent): MappingResult {
  const scope: ReferenceScope = { params: {}, steps: {}, execution: { id: "", templateId: trigger.template }, event };
  const issues: FieldIssue[] = [];
  const resolve = (path: string, value: unknown): unknown => {
    try {
      return resolveValue(value, scope);
    } catch (error) {
      if (!(error instanceof UnresolvedReferenceError)) throw error;
      issues.push({ path: [path, ...error.path].join("."), message: error.message });
      return undefined;
    }
  };
  const params = resolve("params", trigger.params) as Record<string, unknown> | undefined;
  const keySource = trigger.debounce ? trigger.debounce.key : trigger.batch ? (trigger.batch.key ?? "") : null;
  const bufferKey = keySource === null ? null : asKey(resolve(trigger.debounce ? "debounce.key" : "batch.key", keySource));
  const idempotency = trigger.idempotencyKey === undefined ? null : resolve("idempotencyKey", trigger.idempotencyKey);
  if (issues.length > 0 || params === undefined) return { ok: false, issues };
  return {
    ok: true,
    mapped: { params, bufferKey, idempotencyKey: idempotency === null || idempotency === undefined ? null : asKey(idempotency) },
  };
}
