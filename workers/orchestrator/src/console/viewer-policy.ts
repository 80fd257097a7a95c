/**
 * What a console viewer may do, enforced by the ConsoleGateway before any route runs (the console's UI
 * only hides what this refuses). A viewer reads: pipelines, executions and their live events and logs,
 * approvals, the queue, locks, agents, usage, stats and the configuration. A viewer changes nothing
 * (only GET and HEAD pass) and does not see people or secrets' neighbours: users, API tokens, webhook
 * endpoints and deliveries, triggers. An allow-list, so a route added later is closed to viewers until
 * someone decides otherwise here.
 */
const READABLE = [
  "/v1/health",
  "/v1/openapi.json",
  "/v1/templates",
  "/v1/executions",
  "/v1/approvals",
  "/v1/queue",
  "/v1/locks",
  "/v1/usage",
  "/v1/config",
  "/v1/agents",
  "/v1/events",
  "/v1/stats",
  "/v1/logs",
];

/** Why a viewer may not make this request, or null when they may. */
export function viewerRefusal(method: string, pathname: string): string | null {
  if (method !== "GET" && method !== "HEAD") return "Viewers have read-only access: ask an admin to make this change.";
  const readable = READABLE.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
  return readable ? null : `Viewers cannot see ${pathname}; it is for admins.`;
}
