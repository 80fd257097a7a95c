/**
 * Which token scope each route needs: one table, read by the middleware that enforces it and by the
 * OpenAPI document that names it, so the two cannot disagree. A route the table does not name needs
 * `admin`, so a route added later is closed until someone opens it on purpose.
 */
import type { TokenScope } from "#shared/api/tokens.ts";

/** What a route requires: the scope named in the documentation, and every scope that satisfies it. */
export interface ScopeRule {
  scope: TokenScope;
  allowed: readonly TokenScope[];
  /** `run` tokens pass, but see only executions they started. */
  ownExecutionsOnly?: boolean;
}

const ADMIN: ScopeRule = { scope: "admin", allowed: ["admin"] };
const OPERATE: ScopeRule = { scope: "operate", allowed: ["admin", "operate"] };
const RUN: ScopeRule = { scope: "run", allowed: ["admin", "operate", "run"] };
const READ: ScopeRule = { scope: "read", allowed: ["admin", "operate", "read"] };
const READ_OR_OWN: ScopeRule = { scope: "read", allowed: ["admin", "operate", "read", "run"], ownExecutionsOnly: true };
/** Minting: any token may, but only of its own scope or less (checked by the handler). */
const MINT: ScopeRule = { scope: "read", allowed: ["admin", "operate", "run", "read"] };

const rules: [method: string, path: RegExp, rule: ScopeRule][] = [
  ["POST", /^\/v1\/tokens$/, MINT],
  ["*", /^\/v1\/tokens(\/|$)/, ADMIN],
  ["GET", /^\/v1\/(webhooks|users)(\/|$)/, ADMIN],
  ["POST", /^\/v1\/executions$/, RUN],
  ["POST", /^\/v1\/agents\/[^/]+\/run$/, RUN],
  ["GET", /^\/v1\/executions(\/[^/]+(\/(events|logs))?)?$/, READ_OR_OWN],
  ["POST", /^\/v1\/executions\/(pause-all|emergency-stop)$/, OPERATE],
  ["POST", /^\/v1\/executions\/[^/]+\/(cancel|pause|resume|retry|fork)$/, OPERATE],
  ["POST", /^\/v1\/executions\/[^/]+\/steps\/[^/]+\/(approve|reject)$/, OPERATE],
  ["POST", /^\/v1\/templates\/[^/]+\/estimate$/, READ],
  ["GET", /^\/v1\//, READ],
];

export function scopeRule(method: string, path: string): ScopeRule {
  const verb = method === "HEAD" ? "GET" : method;
  for (const [ruleMethod, pattern, rule] of rules) {
    if ((ruleMethod === "*" || ruleMethod === verb) && pattern.test(path)) return rule;
  }
  return ADMIN;
}

/** The rule for a documented route (`/v1/executions/{id}/cancel`): each `{param}` stands for one segment. */
export function documentedScopeRule(method: string, openApiPath: string): ScopeRule {
  return scopeRule(method.toUpperCase(), openApiPath.replace(/\{[^}]+\}/g, "x"));
}
