/**
 * The stable error codes of the API and of RPC, and the HTTP status of each. Kept apart from the zod
 * schemas in `errors.ts` so that clients (the RPC helper, the HTTP client) can use them without zod.
 */
export const errorStatus = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  invalid_state: 409,
  /** Disabling or demoting the last enabled admin would lock everyone out of user management. */
  last_admin: 409,
  /** An idempotency key reused with other params: `details.executionId` names the execution the key already started. */
  idempotency_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  budget_exceeded: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
