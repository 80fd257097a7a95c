/**
 * The console's own answers: errors in the API's format (`{ error: { code, message } }`) for `/api/` and
 * `/auth/`, small HTML pages for people, and the security headers every response leaves with.
 */
import type { ErrorCode } from "../../shared/error-codes.ts";

/** Scripts and styles only from the console itself; no framing; nothing posted elsewhere. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Requests the console answers as JSON: its API, who-am-I, and whatever asks for JSON. */
export function wantsJson(request: Request): boolean {
  const { pathname } = new URL(request.url);
  if (pathname.startsWith("/api/") || pathname === "/auth/me") return true;
  const accept = request.headers.get("accept") ?? "";
  const type = request.headers.get("content-type") ?? "";
  return accept.includes("application/json") || type.includes("application/json");
}

export function jsonError(status: number, code: ErrorCode, message: string, headers?: HeadersInit): Response {
  const response = Response.json({ error: { code, message } }, { status, headers });
  response.headers.set("cache-control", "no-store");
  return response;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** A whole page in the console's plain style; `body` is trusted HTML (escape what goes into it). */
export function htmlPage(status: number, title: string, body: string, headers?: HeadersInit): Response {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Baton</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%232f5bd3'/%3E%3C/svg%3E">
<style>
  :root { color-scheme: light dark; --accent: #2f5bd3; --fg: #1d1d1f; --muted: #5f6368; --bg: #f6f7f9; --card: #fff; --line: #d7dae0; --bad: #b3261e; }
  @media (prefers-color-scheme: dark) { :root { --fg: #e8eaed; --muted: #a0a4ab; --bg: #15171a; --card: #1e2125; --line: #3a3f45; --bad: #f2b8b5; --accent: #8ab4f8; } }
  * { box-sizing: border-box; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, sans-serif; padding: 1rem; }
  main { width: 100%; max-width: 24rem; background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 2rem; }
  h1 { margin: 0 0 1.25rem; font-size: 1.4rem; }
  p { margin: 0 0 1rem; }
  label { display: block; font-weight: 600; margin: 0 0 .25rem; }
  input { width: 100%; font: inherit; padding: .55rem .7rem; border: 1px solid var(--line); border-radius: 8px; background: transparent; color: inherit; margin: 0 0 1rem; }
  input:focus-visible, button:focus-visible { outline: 3px solid var(--accent); outline-offset: 1px; }
  button { width: 100%; font: inherit; font-weight: 600; padding: .6rem; border: 0; border-radius: 8px; background: var(--accent); color: #fff; cursor: pointer; }
  .error { color: var(--bad); font-weight: 600; }
  .note { color: var(--muted); }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
  const response = new Response(html, { status, headers });
  response.headers.set("content-type", "text/html; charset=utf-8");
  response.headers.set("cache-control", "no-store");
  return response;
}

/** The same response with the console's security headers (a fresh Response: fetched ones are immutable). */
export function secured(response: Response): Response {
  const result = new Response(response.body, response);
  const headers = result.headers;
  if (!headers.has("content-security-policy")) headers.set("content-security-policy", CONTENT_SECURITY_POLICY);
  headers.set("x-content-type-options", "nosniff");
  headers.set("x-frame-options", "DENY");
  headers.set("referrer-policy", "same-origin");
  // The console is served over HTTPS only (its cookie is __Host-, Secure): browsers should never try plain HTTP.
  headers.set("strict-transport-security", "max-age=63072000; includeSubDomains");
  return result;
}
