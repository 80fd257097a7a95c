/**
 * The sign-in page: a plain form that posts to `/auth/sign-in` and works without JavaScript, served by a
 * Function so that it needs nothing from the SPA's build and no asset behind the session check.
 */
import { escapeHtml, htmlPage } from "./responses.ts";

export interface SignInPageState {
  /** Where to go after signing in (already checked by `safeNext`). */
  next: string;
  email?: string;
  error?: string;
  notice?: string;
}

export function signInPage(status: number, state: SignInPageState, headers?: HeadersInit): Response {
  const message = state.error
    ? `<p class="error" role="alert">${escapeHtml(state.error)}</p>`
    : state.notice
      ? `<p class="note" role="status">${escapeHtml(state.notice)}</p>`
      : "";
  return htmlPage(
    status,
    "Sign in",
    `<h1>Sign in to Baton</h1>
${message}
<form method="post" action="/auth/sign-in">
  <input type="hidden" name="next" value="${escapeHtml(state.next)}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(state.email ?? "")}"${state.email ? "" : " autofocus"}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${state.email ? " autofocus" : ""}>
  <button type="submit">Sign in</button>
</form>`,
    headers,
  );
}

/** Where a sign-in may send the browser: a path on the console itself, never another site. */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  const url = new URL(next, "https://console.invalid");
  if (url.origin !== "https://console.invalid" || url.pathname.startsWith("/auth/") || url.pathname === "/sign-in") return "/";
  // Dot segments collapse (`/.//evil.example` is `//evil.example` once resolved), and a path that starts
  // with `//` is another host to a browser.
  if (url.pathname.startsWith("//")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
