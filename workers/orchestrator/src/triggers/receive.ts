/**
 * `POST /v1/triggers/:name/events`: an event becomes an execution at once, or waits in its trigger's
 * buffer (debounce, batch). Every authenticated event leaves one delivery row saying what became of it.
 */
import type { TriggerEventResponse } from "#shared/api/triggers.ts";
import { DomainError, validationError } from "../errors.ts";
import { sha256Hex } from "../auth/crypto.ts";
import { loadConfig } from "../config/store.ts";
import type { Database } from "../db/client.ts";
import type { BufferMode } from "./buffer-plan.ts";
import { triggerBufferStub } from "./buffer-do.ts";
import { type NewDelivery, newDeliveryId, recordDelivery, updateDeliveries } from "./deliveries.ts";
import { authenticateEvent, eventHeaders, readLimitedBody } from "./event-intake.ts";
import { mapEvent } from "./mapping.ts";
import { startForTrigger } from "./start.ts";
import { getTrigger, type StoredTrigger } from "./store.ts";

function bufferMode(trigger: StoredTrigger): BufferMode | null {
  const { debounce, batch } = trigger.definition;
  if (debounce) return { kind: "debounce", periodMs: debounce.periodMs };
  if (batch) return { kind: "batch", maxSize: batch.maxSize, maxWaitMs: batch.maxWaitMs };
  return null;
}

export async function receiveEvent(env: Env, db: Database, name: string, request: Request): Promise<TriggerEventResponse> {
  const trigger = await getTrigger(db, name);
  if (!trigger) throw new DomainError("not_found", `No trigger "${name}"; PUT /v1/triggers/${name} creates it.`);
  const { triggers: limits } = await loadConfig(db);
  const body = await readLimitedBody(request, limits.maxEventBytes);
  await authenticateEvent(env, db, trigger, body.text, request.headers);

  const receivedAt = Date.now();
  const id = newDeliveryId();
  const delivery: Omit<NewDelivery, "status" | "detail"> = { id, trigger: name, receivedAt, bytes: body.bytes, key: null, idempotencyKey: null, executionId: null };
  const refuse = async (error: DomainError, base = delivery): Promise<never> => {
    await recordDelivery(db, { ...base, status: "refused", detail: `${error.code}: ${error.message}` });
    throw error;
  };

  let payload: unknown;
  try {
    payload = body.text === "" ? null : JSON.parse(body.text);
  } catch {
    return refuse(new DomainError("invalid_json", "The event body is not valid JSON; trigger events are JSON documents."));
  }
  const mapping = mapEvent(trigger.definition, { payload, headers: eventHeaders(request.headers) });
  if (!mapping.ok) return refuse(validationError(mapping.issues, "event (the trigger's mapping)"));
  const { params, bufferKey, idempotencyKey } = mapping.mapped;
  const known = { ...delivery, key: bufferKey, idempotencyKey };
  const mode = bufferMode(trigger);

  if (mode === null || bufferKey === null) {
    let started;
    try {
      started = await startForTrigger(env, db, name, {
        template: trigger.definition.template,
        params,
        // Hashed: the sender's key may be long, and the execution's key is limited to 200 characters.
        idempotencyKey: idempotencyKey === null ? null : `trigger:${name}:${await sha256Hex(idempotencyKey)}`,
      });
    } catch (error) {
      if (error instanceof DomainError) return refuse(error, known);
      throw error;
    }
    await recordDelivery(db, {
      ...known,
      executionId: started.id,
      status: started.created ? "started" : "duplicate",
      detail: started.created ? null : `idempotency key seen before; ${started.id} was started by an earlier delivery`,
    });
    return { accepted: true, deliveryId: id, executionId: started.id, ...(started.created ? {} : { duplicate: true }) };
  }

  const status = mode.kind === "debounce" ? "debounced" : "batched";
  // Written before the buffer has it, so the buffer's flush always finds the row to update.
  await recordDelivery(db, { ...known, status, detail: mode.kind === "debounce" ? "waiting for the key to be quiet" : "waiting for the batch to fill" });
  let accepted;
  try {
    accepted = await triggerBufferStub(env, name, bufferKey).accept(
      { trigger: name, template: trigger.definition.template, mode },
      { deliveryId: id, receivedAt, params, payload, idempotencyKey },
    );
  } catch (error) {
    console.error("trigger buffer unreachable", error);
    await updateDeliveries(db, [id], { status: "refused", detail: "the trigger's buffer could not store it; send it again" });
    throw new DomainError("unavailable", "The event could not be stored; send it again (nothing was kept).");
  }
  if (accepted.duplicate) {
    await updateDeliveries(db, [id], {
      status: "duplicate",
      executionId: accepted.executionId,
      detail: `idempotency key seen before, in delivery ${accepted.deliveryId}`,
    });
    return { accepted: true, deliveryId: id, duplicate: true, ...(accepted.executionId ? { executionId: accepted.executionId } : {}) };
  }
  return { accepted: true, deliveryId: id, ...(mode.kind === "debounce" ? { debounced: true } : { batched: true }) };
}
