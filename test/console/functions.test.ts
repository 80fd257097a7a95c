/**
 * Proves the console's Pages Functions, run as Pages runs them (middleware, then the route) against the
 * orchestrator's real ConsoleGateway: pages and the API need a live session (no cookie, a forged
 * one, an expired or signed-out one are all turned away; a viewer reads but changes nothing); unsafe requests
 * from another origin are refused; the session cookie is __Host-, HttpOnly, Secure, SameSite=Strict;
 * path tricks never reach the API; changes are audited as the admin; SSE arrives event by event.
 * It does not prove what a real browser does with the cookie: the console's browser tests do.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, addUser, consoleFetch, sessionFrom, signInThroughConsole, SPA_PAGE } from "../support/console.ts";
import { parseSse } from "../support/sse.ts";

const json = { "content-type": "application/json" };

describe("console functions", () => {
  describe("without a live session", () => {
    it("sends pages to the sign-in form, keeping where they were going", async () => {
      const page = await consoleFetch("/executions/ex_1?tab=logs");
      expect(page.status).toBe(302);
      expect(page.headers.get("location")).toBe(`/sign-in?next=${encodeURIComponent("/executions/ex_1?tab=logs")}`);
      expect((await consoleFetch("/")).headers.get("location")).toBe("/sign-in");
    });

    it("answers the API and /auth/me with 401 in the error format", async () => {
      for (const path of ["/api/v1/templates", "/auth/me"]) {
        const response = await consoleFetch(path);
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({ error: { code: "unauthorized", message: expect.stringMatching(/sign in/i) } });
      }
    });

    it("turns away a forged cookie and clears it", async () => {
      for (const session of [`bs_${"A".repeat(43)}`, "forged", "bs_../../etc"]) {
        const response = await consoleFetch("/api/v1/templates", { session });
        expect(response.status).toBe(401);
        expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(/^__Host-baton_session=; Max-Age=0;/)]);
      }
    });

    it("turns away an expired session", async () => {
      const session = await signInThroughConsole();
      expect((await consoleFetch("/api/v1/templates", { session })).status).toBe(200);
      await env.DB.prepare("UPDATE sessions SET expires_at = ?").bind(Date.now() - 1000).run();
      expect((await consoleFetch("/api/v1/templates", { session })).status).toBe(401);
      expect((await consoleFetch("/", { session })).status).toBe(302);
    });

    it("serves the sign-in page to anyone, escaping what it echoes", async () => {
      const page = await consoleFetch(`/sign-in?next=${encodeURIComponent('/x"><script>alert(1)</script>')}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('action="/auth/sign-in"');
      expect(html).not.toContain("<script>");
      expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    });
  });

  describe("sign-in and sign-out", () => {
    it("sets a __Host- session cookie that is HttpOnly, Secure and SameSite=Strict, and sends the form on", async () => {
      const response = await consoleFetch("/auth/sign-in", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password, next: "/history?status=failed" }),
      });
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/history?status=failed");
      const [cookie] = response.headers.getSetCookie();
      expect(cookie).toMatch(/^__Host-baton_session=bs_[\w-]{43}; /);
      const attributes = cookie!.split("; ").slice(1);
      expect(attributes).toEqual(expect.arrayContaining(["Path=/", "HttpOnly", "Secure", "SameSite=Strict"]));
      expect(attributes.find((a) => a.startsWith("Max-Age="))).toMatch(/^Max-Age=43(199|200)$/);
      expect(cookie).not.toMatch(/Domain=/i);

      const me = await consoleFetch("/auth/me", { session: sessionFrom(response)! });
      expect(await me.json()).toEqual({ email: ADMIN.email, role: "admin", expiresAt: expect.any(Number) });
    });

    it("never redirects a sign-in off the console", async () => {
      // Dot segments collapse once resolved: `/.//evil.example` would become `//evil.example`, another host.
      for (const next of ["https://evil.example/", "//evil.example/", "/\\evil.example", "/auth/sign-out", "/.//evil.example", "/a/..//evil.example/x"]) {
        const response = await consoleFetch("/auth/sign-in", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password, next }),
        });
        expect(response.headers.get("location")).toBe("/");
      }
    });

    it("sends HSTS on every answer, pages, sign-in and API alike", async () => {
      for (const path of ["/sign-in", "/api/v1/templates", "/"]) {
        expect((await consoleFetch(path)).headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
      }
    });

    it("shows the form again with the reason on bad credentials, and 429 with Retry-After when limited", async () => {
      const form = (password: string) =>
        consoleFetch("/auth/sign-in", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": "192.0.2.44" },
          body: new URLSearchParams({ email: "someone@example.com", password }),
        });
      const wrong = await form("wrong");
      expect(wrong.status).toBe(401);
      expect(wrong.headers.getSetCookie()).toEqual([]);
      const page = await wrong.text();
      expect(page).toContain("The email or the password is wrong.");
      expect(page).toContain('value="someone@example.com"');
      for (let i = 0; i < 4; i++) await form("wrong");
      const limited = await form("wrong");
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await limited.text()).toMatch(/try again in \d+ minutes/);

      const jsonLimited = await consoleFetch("/auth/sign-in", {
        method: "POST",
        headers: { ...json, "cf-connecting-ip": "192.0.2.44" },
        body: JSON.stringify({ email: "someone@example.com", password: "wrong" }),
      });
      expect(jsonLimited.status).toBe(429);
      expect(await jsonLimited.json()).toMatchObject({ error: { code: "rate_limited" } });
    });

    it("rotates: signing in again revokes the session the browser presented", async () => {
      const first = await signInThroughConsole();
      const again = await consoleFetch("/auth/sign-in", {
        method: "POST",
        session: first,
        headers: json,
        body: JSON.stringify(ADMIN),
      });
      const second = sessionFrom(again)!;
      expect(second).not.toBe(first);
      expect((await consoleFetch("/api/v1/templates", { session: first })).status).toBe(401);
      expect((await consoleFetch("/api/v1/templates", { session: second })).status).toBe(200);
    });

    it("signs out server-side: the old cookie is dead even if replayed", async () => {
      const session = await signInThroughConsole();
      const out = await consoleFetch("/auth/sign-out", { method: "POST", session });
      expect(out.status).toBe(303);
      expect(out.headers.get("location")).toBe("/sign-in?signed-out");
      expect(out.headers.getSetCookie()).toEqual([expect.stringMatching(/^__Host-baton_session=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=Strict$/)]);
      expect((await consoleFetch("/api/v1/templates", { session })).status).toBe(401);
      expect((await consoleFetch("/", { session })).status).toBe(302);
    });
  });

  describe("admins and viewers", () => {
    it("lets a viewer read through the console, refuses their changes and user management server-side", async () => {
      await addUser("viewer@example.com", "viewer-password", "viewer");
      const session = await signInThroughConsole("viewer@example.com", "viewer-password");
      const page = await consoleFetch("/", { session });
      expect(page.status).toBe(200);
      expect(await page.text()).toBe(SPA_PAGE);
      expect(await (await consoleFetch("/auth/me", { session })).json()).toMatchObject({ email: "viewer@example.com", role: "viewer" });
      expect((await consoleFetch("/api/v1/templates", { session })).status).toBe(200);
      for (const path of ["/api/v1/users", "/api/v1/tokens"]) {
        const response = await consoleFetch(path, { session });
        expect(response.status).toBe(403);
        expect(await response.json()).toMatchObject({ error: { code: "forbidden", message: expect.stringContaining("admins") } });
      }
      const write = await consoleFetch("/api/v1/executions", {
        method: "POST",
        session,
        headers: json,
        body: JSON.stringify({ template: "hello", params: {} }),
      });
      expect(write.status).toBe(403);
      expect(await write.json()).toMatchObject({ error: { code: "forbidden", message: expect.stringContaining("read-only") } });
      // Viewers can still sign out.
      expect((await consoleFetch("/auth/sign-out", { method: "POST", session })).status).toBe(303);
    });

    it("lets an admin through to the SPA's pages", async () => {
      const session = await signInThroughConsole();
      const page = await consoleFetch("/pipelines", { session });
      expect(page.status).toBe(200);
      expect(await page.text()).toBe(SPA_PAGE);
      expect(page.headers.get("x-frame-options")).toBe("DENY");
    });
  });

  describe("cross-origin requests", () => {
    it("refuses unsafe requests from another origin or with none, before anything else", async () => {
      const session = await signInThroughConsole();
      const attempts = [
        { path: "/api/v1/templates/x", method: "PUT", origin: "https://evil.example" },
        { path: "/api/v1/executions", method: "POST", origin: "http://console.test" },
        { path: "/api/v1/templates/x", method: "DELETE", origin: null },
        { path: "/auth/sign-out", method: "POST", origin: "https://evil.example" },
        { path: "/auth/sign-in", method: "POST", origin: "null" },
      ];
      for (const { path, method, origin } of attempts) {
        const response = await consoleFetch(path, { method, origin, session, headers: json, body: JSON.stringify(ADMIN) });
        expect(response.status, `${method} ${path} from ${origin}`).toBe(403);
        expect(await response.json()).toMatchObject({ error: { code: "forbidden", message: expect.stringMatching(/origin/i) } });
      }
      // The session survived the refused sign-out.
      expect((await consoleFetch("/api/v1/templates", { session })).status).toBe(200);
      const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE actor LIKE 'admin:%'").first();
      expect(audit?.n).toBe(0);
    });
  });

  describe("the API proxy", () => {
    it("refuses path tricks before forwarding", async () => {
      const session = await signInThroughConsole();
      const tricks = [
        "/api//v1/templates",
        "/api/v1//templates",
        "/api/v1/templates/..%2F..%2Ftokens",
        "/api/v1/templates/%2e%2e%2ftokens",
        "/api/v1/templates/%252e%252e/tokens",
        "/api/v1/templates/..%5Ctokens",
        "/api/v1/templates/%E0%A4%A",
        "/api/v2/templates",
        "/api/tokens",
      ];
      for (const path of tricks) {
        const response = await consoleFetch(path, { session });
        expect(response.status, path).toBe(400);
        expect(await response.json()).toMatchObject({ error: { code: "bad_request" } });
      }
      // Dot segments are resolved by URL parsing before any Function sees them: what is left is either
      // no API path at all (the SPA's page answers) or refused like the rest.
      for (const path of ["/api/../v1/tokens", "/api/%2e%2e/v1/tokens", "/api/v1/%2E%2E/%2e%2e/tokens"]) {
        const response = await consoleFetch(path, { session });
        const body = await response.text();
        expect(body === SPA_PAGE || response.status === 400, `${path}: ${response.status} ${body}`).toBe(true);
        expect(body).not.toContain('"tokens"');
      }
    });

    it("forwards as the admin: no token needed, changes audited, API errors passed back", async () => {
      const session = await signInThroughConsole();
      const template = { id: "via-console", name: "Via the console", steps: [{ id: "a", agent: "echo", input: {} }] };
      const saved = await consoleFetch(`/api/v1/templates/${template.id}`, { method: "PUT", session, headers: json, body: JSON.stringify(template) });
      expect(saved.status).toBe(201);
      expect(saved.headers.get("cache-control")).toBe("no-store");
      const row = await env.DB.prepare("SELECT actor FROM audit_log WHERE target = ?").bind(template.id).first();
      expect(row?.actor).toBe(`admin:${ADMIN.email}`);

      const invalid = await consoleFetch("/api/v1/templates/broken", { method: "PUT", session, headers: json, body: "{" });
      expect(invalid.status).toBe(400);
      expect(await invalid.json()).toMatchObject({ error: { code: "invalid_json" } });
    });

    it("streams Server-Sent Events through event by event", async () => {
      const session = await signInThroughConsole();
      const template = {
        id: "gated",
        name: "Gated",
        steps: [
          { id: "work", agent: "echo", input: { progress: 3, delayMs: 150 } },
          { id: "review", type: "approval", needs: ["work"], message: "Go on?" },
          { id: "finish", agent: "echo", needs: ["review"], input: {} },
        ],
      };
      await consoleFetch(`/api/v1/templates/${template.id}`, { method: "PUT", session, headers: json, body: JSON.stringify(template) });
      const started = await consoleFetch("/api/v1/executions", { method: "POST", session, headers: json, body: JSON.stringify({ template: "gated", params: {} }) });
      expect(started.status).toBe(202);
      const { id } = await started.json<{ id: string }>();

      const stream = await consoleFetch(`/api/v1/executions/${id}/events`, { session, headers: { accept: "text/event-stream" } });
      expect(stream.status).toBe(200);
      expect(stream.headers.get("content-type")).toContain("text/event-stream");
      const reader = stream.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      let reads = 0;
      const readUntil = async (event: string): Promise<void> => {
        while (!parseSse(text).some((f) => f.event === event)) {
          const { done, value } = await reader.read();
          if (done) throw new Error(`the stream ended before ${event}; got: ${text}`);
          text += decoder.decode(value, { stream: true });
          reads++;
        }
      };
      // The execution now waits for approval and the stream stays open: a proxy that buffered the body
      // until the end would never deliver this.
      await readUntil("approval.required");
      expect(reads).toBeGreaterThan(1);
      expect(parseSse(text).filter((f) => f.event === "step.progress")).toHaveLength(3);

      const approved = await consoleFetch(`/api/v1/executions/${id}/steps/review/approve`, {
        method: "POST",
        session,
        headers: json,
        body: JSON.stringify({ comment: "looks right" }),
      });
      expect(approved.status).toBe(200);
      await readUntil("execution.completed");
      expect((await reader.read()).done).toBe(true);
      expect(parseSse(text).some((f) => f.event === "approval.resolved")).toBe(true);

      const audit = await env.DB.prepare("SELECT DISTINCT actor FROM audit_log WHERE target LIKE ? OR target = ?").bind(`${id}%`, "gated").all();
      expect(audit.results).toEqual([{ actor: `admin:${ADMIN.email}` }]);
    });
  });
});
