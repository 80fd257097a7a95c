/**
 * Refuses JSON bodies that are valid JSON but hostile: nested deeper than MAX_JSON_DEPTH (recursive
 * code further on — template references, schema checks, structured clones — must never meet a value
 * deep enough to exhaust the stack), or using the keys `__proto__`, `constructor` or `prototype`, which
 * name nothing in Baton's API and are how prototype pollution gets in through code that copies objects.
 * It runs after the body limit, on the body text the routes then read from Hono's cache.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.ts";
import { DomainError } from "../../errors.ts";

export const MAX_JSON_DEPTH = 64;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export function jsonGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS" || !/json/i.test(c.req.header("content-type") ?? "")) return next();
    const text = await c.req.text();
    const depth = nestingDepth(text);
    if (depth > MAX_JSON_DEPTH) {
      throw new DomainError("validation_failed", `The request body is nested ${depth} levels deep; at most ${MAX_JSON_DEPTH} are accepted.`, [
        { path: "", message: `nested deeper than ${MAX_JSON_DEPTH} levels` },
      ]);
    }
    const key = forbiddenKey(text);
    if (key !== null) {
      throw new DomainError("validation_failed", `The request body uses the key "${key}", which Baton never accepts (it names no field of the API).`, [
        { path: key, message: "this key is not accepted anywhere" },
      ]);
    }
    await next();
  };
}

/** The deepest nesting of arrays and objects in JSON text, counted without parsing (strings skipped). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 92 /* \ */) i++;
      else if (char === 34 /* " */) inString = false;
    } else if (char === 34) inString = true;
    else if (char === 123 || char === 91) deepest = Math.max(deepest, ++depth);
    else if (char === 125 || char === 93) depth--;
  }
  return deepest;
}

/** The first forbidden key of the document, or null (also for text that is not JSON: the route says so). */
function forbiddenKey(text: string): string | null {
  let found: string | null = null;
  try {
    JSON.parse(text, (key, value: unknown) => {
      if (found === null && FORBIDDEN_KEYS.has(key)) found = key;
      return value;
    });
  } catch {
    return null;
  }
  return found;
}
