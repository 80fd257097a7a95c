/** What `npm start` prints once everything answers: where things are, how to sign in, what to try. */
import type { LocalSecrets } from "./dev-vars.ts";

export type ReadyInfo = {
  apiUrl: string;
  consoleUrl: string;
  secrets: LocalSecrets;
  /** A template id to show in an example (the first sample), if any. */
  exampleTemplate: string | undefined;
  seconds: number;
  /** How often the crons fire by themselves (0: never). */
  cronEveryMs: number;
  /** Whether the Workers are in a registry of this stack's own, out of reach of plain `wrangler dev`. */
  privateRegistry: boolean;
};

export function readyBanner({ apiUrl, consoleUrl, secrets, exampleTemplate, seconds, cronEveryMs, privateRegistry }: ReadyInfo): string {
  const auth = `-H "Authorization: Bearer ${secrets.API_TOKEN}"`;
  const examples = [
    `curl ${apiUrl}/v1/health`,
    `curl ${auth} ${apiUrl}/v1/templates`,
    ...(exampleTemplate ? [`curl ${auth} ${apiUrl}/v1/templates/${exampleTemplate}`] : []),
  ];
  return [
    "",
    `  Baton is ready (${seconds.toFixed(1)} s).`,
    "",
    `  API        ${apiUrl}/v1`,
    `  Console    ${consoleUrl}`,
    `  MCP        ${apiUrl}/mcp  (Streamable HTTP, the API token as bearer; docs/mcp.md)`,
    `  Sign in    ${secrets.ADMIN_EMAIL} / ${secrets.ADMIN_PASSWORD}`,
    `  API token  ${secrets.API_TOKEN}`,
    "",
    "  Try:",
    ...examples.map((line) => `    ${line}`),
    "",
    cronEveryMs > 0
      ? `  Crons fire every ${cronEveryMs === 60_000 ? "minute" : `${cronEveryMs / 1000} s`}, as deployed; \`curl ${apiUrl}/cdn-cgi/local/scheduled\` runs them once more now.`
      : `  Crons are off (--no-crons); \`curl ${apiUrl}/cdn-cgi/local/scheduled\` runs them once.`,
    privateRegistry
      ? "  Private dev registry (--private-registry): Workers run with plain `wrangler dev` will not find this stack."
      : "  Your own Workers run with `wrangler dev` reach it by service binding (`npm run example:caller` shows how).",
    "  The token and the password live in .dev.vars (git-ignored). Ctrl-C stops everything.",
    "",
  ].join("\n");
}
