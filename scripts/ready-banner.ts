/** What `npm start` prints once everything answers: where things are, how to sign in, what to try. */
import type { LocalSecrets } from "./dev-vars.ts";

export type ReadyInfo = {
  apiUrl: string;
  consoleUrl: string;
  secrets: LocalSecrets;
  /** A template id to show in an example (the first sample), if any. */
  exampleTemplate: string | undefined;
  seconds: number;
};

export function readyBanner({ apiUrl, consoleUrl, secrets, exampleTemplate, seconds }: ReadyInfo): string {
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
    `  Crons do not fire by themselves locally; \`curl ${apiUrl}/cdn-cgi/local/scheduled\` runs them once.`,
    "  The token and the password live in .dev.vars (git-ignored). Ctrl-C stops everything.",
    "",
  ].join("\n");
}
