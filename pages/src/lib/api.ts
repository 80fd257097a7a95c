/**
 * The console's connection to Baton: the shared typed client pointed at the Pages proxy (`/api/v1/…`),
 * which authenticates with the session cookie. An answer of 401 means the session ended (signed out
 * elsewhere, expired): the browser goes to the sign-in page and comes back here afterwards.
 */
import { BatonClient, BatonError } from "../../../shared/client/index.ts";
import { signInUrl } from "./session.ts";

async function sessionFetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, { ...init, credentials: "same-origin" });
  // A proxy that redirects instead of answering 401 lands the fetch on the sign-in page's HTML.
  if (response.status === 401 || (response.redirected && new URL(response.url).pathname.startsWith("/sign-in"))) {
    location.assign(signInUrl());
    throw new BatonError("unauthorized", "Your session has ended. Sign in again.", { status: 401 });
  }
  return response;
}

export const baton = new BatonClient({ url: `${location.origin}/api`, fetch: sessionFetch });

/** Calls for the routes the client does not wrap yet (they go through its transport all the same). */
export const extra = {
  setPriority(id: string, priority: number): Promise<{ id: string; priority: number }> {
    return baton.http.json("PATCH", `/v1/executions/${encodeURIComponent(id)}`, { body: { priority } });
  },
  setAgentEnabled(name: string, enabled: boolean): Promise<unknown> {
    return baton.http.json("POST", `/v1/agents/${encodeURIComponent(name)}/${enabled ? "enable" : "disable"}`);
  },
  releaseLock(name: string, holder?: string): Promise<{ name: string; released: string[] }> {
    return baton.http.json("POST", `/v1/locks/${encodeURIComponent(name)}/release`, { body: holder ? { holder } : {} });
  },
};

export { BatonError };

/** What to tell a person about a failure: the API's message, or a plain sentence for anything else. */
export function describeError(error: unknown): string {
  if (error instanceof BatonError) {
    if (error.status === 0) return "Baton did not answer. Check your connection; the page retries on its own.";
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The field problems a refusal carried (`validation_failed`), as path → message. */
export function fieldErrors(error: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  if (error instanceof BatonError && Array.isArray(error.details)) {
    for (const issue of error.details) {
      if (!fields.has(issue.path)) fields.set(issue.path, issue.message);
    }
  }
  return fields;
}
