/**
 * Proves the console's accounts and sessions through the ConsoleGateway entrypoint, as the Pages
 * Functions use it: the first admin comes from the secrets on first use and is never overwritten; a
 * session is a random token stored only as a hash; each sign-in opens a new one and revokes the one the
 * browser presented; sign-out revokes at once; expiry and disabling end a session.
 * (Storage is shared by the tests of one file; they run in order.) The cookie and the proxy are proven
 * in functions.test.ts, attempt limits in sign-in-limits.test.ts.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hashPassword, PBKDF2_ITERATIONS } from "../../workers/orchestrator/src/auth/passwords.ts";
import { SESSION_TTL_MS } from "../../workers/orchestrator/src/auth/sessions.ts";
import { ADMIN, addUser, gateway } from "../support/console.ts";

async function signIn(email: string, password: string, replacing?: string) {
  // No address: only the per-account limit applies here (sign-in-limits.test.ts covers both).
  return gateway.signIn({ email, password, userAgent: "vitest", ...(replacing ? { replacing } : {}) });
}

async function token(email = ADMIN.email, password = ADMIN.password, replacing?: string): Promise<string> {
  const result = await signIn(email, password, replacing);
  if (!result.ok) throw new Error(`sign-in failed: ${result.message}`);
  return result.token;
}

describe("console sessions", () => {
  it("seeds the first admin from ADMIN_EMAIL / ADMIN_PASSWORD on first use", async () => {
    expect((await env.DB.prepare("SELECT count(*) AS n FROM users").first())?.n).toBe(0);
    const started = Date.now();
    // Any email, case and spaces aside, is the same account.
    const result = await signIn("  Admin@Example.COM ", ADMIN.password);
    expect(result).toMatchObject({ ok: true, token: expect.stringMatching(/^bs_[\w-]{43}$/) });
    if (!result.ok) return;
    expect(result.session.identity).toEqual({ userId: expect.any(String), email: ADMIN.email, role: "admin" });
    expect(result.session.expiresAt).toBeGreaterThanOrEqual(started + SESSION_TTL_MS);
    expect(result.session.expiresAt).toBeLessThanOrEqual(Date.now() + SESSION_TTL_MS);

    const users = await env.DB.prepare("SELECT * FROM users").all<Record<string, unknown>>();
    expect(users.results).toHaveLength(1);
    expect(users.results[0]).toMatchObject({ email: ADMIN.email, role: "admin", password_iterations: PBKDF2_ITERATIONS });
    expect(JSON.stringify(users.results)).not.toContain(ADMIN.password);
    const audit = await env.DB.prepare("SELECT actor, action FROM audit_log WHERE action = 'user.create'").all();
    expect(audit.results).toEqual([{ actor: "system:baton", action: "user.create" }]);
  });

  it("never overwrites the seeded admin's password once it is changed", async () => {
    const changed = await hashPassword("a new password");
    await env.DB.prepare("UPDATE users SET password_hash = ?, password_salt = ? WHERE email = ?")
      .bind(changed.hash, changed.salt, ADMIN.email)
      .run();
    expect(await signIn(ADMIN.email, ADMIN.password)).toMatchObject({ ok: false, code: "invalid_credentials" });
    expect(await signIn(ADMIN.email, "a new password")).toMatchObject({ ok: true });
    expect((await env.DB.prepare("SELECT count(*) AS n FROM users").first())?.n).toBe(1);
    await env.DB.prepare("UPDATE users SET password_hash = ?, password_salt = ? WHERE email = ?")
      .bind(...(await hashPassword(ADMIN.password).then((h) => [h.hash, h.salt])), ADMIN.email)
      .run();
  });

  it("answers a wrong password and an unknown email alike", async () => {
    const wrong = await signIn(ADMIN.email, "wrong");
    const unknown = await signIn("nobody@example.com", "wrong");
    expect(wrong).toEqual({ ok: false, code: "invalid_credentials", message: "The email or the password is wrong." });
    expect(unknown).toEqual(wrong);
  });

  it("stores only the session's hash and resolves the token to its user", async () => {
    const session = await token();
    const rows = await env.DB.prepare("SELECT * FROM sessions").all();
    expect(JSON.stringify(rows.results)).not.toContain(session);
    expect(JSON.stringify(rows.results)).not.toContain(session.slice(3));
    expect(await gateway.session(session)).toMatchObject({ identity: { email: ADMIN.email, role: "admin" } });

    // A forged token of the right shape, a malformed one, and a real one with a character changed.
    const forged = `bs_${"A".repeat(43)}`;
    const tampered = session.slice(0, -1) + (session.endsWith("A") ? "B" : "A");
    for (const bad of [forged, "nonsense", "", tampered]) expect(await gateway.session(bad)).toBeNull();
  });

  it("rotates on sign-in: a new session each time, and the one the browser presented is revoked", async () => {
    const first = await token();
    const second = await token(ADMIN.email, ADMIN.password, first);
    expect(second).not.toBe(first);
    expect(await gateway.session(first)).toBeNull();
    expect(await gateway.session(second)).not.toBeNull();

    // A failed sign-in revokes nothing.
    await signIn(ADMIN.email, "wrong", second);
    expect(await gateway.session(second)).not.toBeNull();
  });

  it("revokes on sign-out, server-side and at once", async () => {
    const session = await token();
    const other = await token();
    await gateway.signOut(session);
    expect(await gateway.session(session)).toBeNull();
    expect(await gateway.session(other)).not.toBeNull();
    const row = await env.DB.prepare("SELECT revoked_at FROM sessions WHERE revoked_at IS NOT NULL ORDER BY revoked_at DESC").first();
    expect(row?.revoked_at).toEqual(expect.any(Number));
    // Signing out twice, or with a token that is no session, is harmless.
    await gateway.signOut(session);
    await gateway.signOut("nonsense");
  });

  it("ends a session at its expiry", async () => {
    const session = await token();
    expect(await gateway.session(session)).not.toBeNull();
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE revoked_at IS NULL").bind(Date.now() - 1).run();
    expect(await gateway.session(session)).toBeNull();
  });

  it("refuses a disabled user's sessions and sign-ins", async () => {
    await addUser("leaver@example.com", "leaver-password", "admin");
    const session = await token("leaver@example.com", "leaver-password");
    await env.DB.prepare("UPDATE users SET disabled_at = ? WHERE email = ?").bind(Date.now(), "leaver@example.com").run();
    expect(await gateway.session(session)).toBeNull();
    expect(await signIn("leaver@example.com", "leaver-password")).toMatchObject({ ok: false, code: "invalid_credentials" });
  });

  it("signs a viewer in as a viewer (the gateway's api then gives them reads only)", async () => {
    await addUser("watcher@example.com", "watcher-password", "viewer");
    const session = await token("watcher@example.com", "watcher-password");
    expect(await gateway.session(session)).toMatchObject({ identity: { email: "watcher@example.com", role: "viewer" } });
  });
});
