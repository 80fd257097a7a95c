/**
 * Placeholder for the console's API proxy (`/api/*` → the orchestrator's ConsoleGateway), which arrives
 * with the console release. Until then it answers in the API's error format and points to the API.
 *
 * It also keeps `wrangler pages dev` honest: with no Function at all, wrangler runs a shim from
 * node_modules and looks for its config from there, finding the orchestrator's top-level wrangler.toml
 * (its bindings, secrets and Durable Objects) instead of pages/wrangler.toml.
 */
export function onRequest(): Response {
  return Response.json(
    {
      error: {
        code: "not_implemented",
        message:
          "The console's API arrives with a later release. Call the HTTP API directly: http://localhost:8787/v1 (the token is in .dev.vars).",
      },
    },
    { status: 501 },
  );
}
