/**
 * The base URL of an HTTP agent, checked and written one way, so that the registry stores exactly the
 * URL Baton will call (`{url}/health`, `{url}/describe`, `{url}/run`) and nothing a request could bend.
 */
export type AgentUrl = { ok: true; url: string } | { ok: false; message: string };

export function normalizeAgentUrl(raw: string): AgentUrl {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: "must be an absolute URL such as https://agent.example.com" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, message: `must be an http or https URL (got ${url.protocol.slice(0, -1)})` };
  }
  if (url.username || url.password) {
    return { ok: false, message: "must not carry credentials; let the agent check a header or its network instead" };
  }
  if (url.search || url.hash) {
    return { ok: false, message: "must not have a query or fragment: Baton appends /health, /describe and /run to it" };
  }
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, "")}` };
}
