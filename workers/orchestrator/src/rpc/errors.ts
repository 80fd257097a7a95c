/**
 * How refusals cross RPC: every error leaves as an Error named "BatonError" whose message a person can
 * read (`validation_failed: params.word: required param "word" is missing`) and whose own properties carry
 * the API's error body (stable `code`, `details`). `BatonError.from` (shared/) rebuilds it on the caller's side.
 */
import type { z } from "zod";
import { rpcError } from "#shared/baton-error.ts";
import { asDomainError, validationError, zodIssues } from "../errors.ts";

/** Runs an RPC method's body; whatever it throws leaves in the encoded form. */
export async function rpcCall<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw rpcError(asDomainError(error).toBody());
  }
}

/** Validates an argument at the edge, as the HTTP API validates a body: every bad field named by its path. */
export function parseArgument<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(zodIssues(result.error), what);
  return result.data;
}
