/**
 * Triggers as the API sees them: save (checked against the template it starts), read, list, delete, and
 * the delivery log. A definition that cannot work is refused with the path of each problem.
 */
import { BATCH_ITEMS_PARAM, type Trigger, type TriggerDefinition, type TriggerDeliveryPage, type TriggerSaved } from "#shared/api/triggers.ts";
import type { FieldIssue } from "#shared/errors.ts";
import { DomainError, validationError } from "../errors.ts";
import { getTemplate } from "../templates/store.ts";
import { listTriggerDeliveries } from "../triggers/deliveries.ts";
import { mappingIssues } from "../triggers/mapping.ts";
import { deleteTrigger, getTrigger, listTriggers, putTrigger, viewOf } from "../triggers/store.ts";
import type { Caller } from "./caller.ts";

async function definitionIssues(caller: Caller, definition: TriggerDefinition): Promise<FieldIssue[]> {
  const issues = mappingIssues(definition);
  const record = await getTemplate(caller.db, definition.template);
  if (!record || record.archivedAt !== null) {
    return [...issues, { path: "template", message: `no template "${definition.template}"; create it first (or save it again if archived)` }];
  }
  const specs = record.definition.params;
  const declared = Object.keys(specs);
  for (const name of Object.keys(definition.params)) {
    if (!Object.hasOwn(specs, name)) {
      issues.push({ path: `params.${name}`, message: `template "${definition.template}" has no param "${name}" (it takes ${declared.join(", ") || "none"})` });
    }
  }
  if (definition.batch) {
    const items = specs[BATCH_ITEMS_PARAM];
    if (items?.type !== "array") {
      issues.push({
        path: "batch",
        message: `a batch starts "${definition.template}" with the payloads as params.${BATCH_ITEMS_PARAM}: declare "${BATCH_ITEMS_PARAM}": { "type": "array" } in the template`,
      });
    }
    if (Object.hasOwn(definition.params, BATCH_ITEMS_PARAM)) {
      issues.push({ path: `params.${BATCH_ITEMS_PARAM}`, message: "is filled by the batch with the events' payloads; leave it out" });
    }
  }
  return issues;
}

export async function save(caller: Caller, name: string, definition: TriggerDefinition): Promise<TriggerSaved> {
  const issues = await definitionIssues(caller, definition);
  if (issues.length > 0) throw validationError(issues, "trigger");
  const { row, created, secret } = await putTrigger(caller.db, name, definition, caller.actor);
  return { ...viewOf(row), created, ...(secret ? { secret } : {}) };
}

export async function read(caller: Caller, name: string): Promise<Trigger> {
  const row = await getTrigger(caller.db, name);
  if (!row) throw new DomainError("not_found", `No trigger "${name}".`);
  return viewOf(row);
}

export async function list(caller: Caller, template?: string): Promise<Trigger[]> {
  return (await listTriggers(caller.db, template)).map(viewOf);
}

export async function remove(caller: Caller, name: string): Promise<void> {
  if (!(await deleteTrigger(caller.db, name, caller.actor))) throw new DomainError("not_found", `No trigger "${name}".`);
}

export async function deliveries(caller: Caller, name: string, page: { limit?: number; cursor?: string }): Promise<TriggerDeliveryPage> {
  await read(caller, name);
  return listTriggerDeliveries(caller.db, name, page);
}
