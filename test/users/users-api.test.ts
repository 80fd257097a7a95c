/**
 * Proves `/v1/users` end to end through the real API and D1: an admin creates a viewer and an admin
 * (the password shown once, never listed), the new user signs in through the console gateway with it;
 * disabling ends their session at once and re-enabling lets them back; a password reset shows the new
 * one once and ends the old sessions; the last enabled admin can be neither disabled nor demoted (409
 * `last_admin`), even by two requests at once; bad input names the field; every change is audited; a
 * console viewer is refused.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ConsoleUser, UserWithPassword } from "#shared/api/users.ts";
import { api, apiJson } from "../support/api.ts";
import { gateway } from "../support/console.ts";

async function signIn(email: string, password: string) {
  return gateway.signIn({ email, password });
}

async function users(): Promise<ConsoleUser[]> {
  return (await apiJson<{ users: ConsoleUser[] }>("/v1/users")).users;
}

describe("/v1/users", () => {
  it("creates a viewer whose generated password works once shown, and lists users without secrets", async () => {
    const created = await apiJson<UserWithPassword>("/v1/users", { body: { email: "Vera@Example.com", role: "viewer" }, expect: 201 });
    expect(created.user).toMatchObject({ email: "vera@example.com", role: "viewer", disabledAt: null });
    expect(created.password.length).toBeGreaterThanOrEqual(20);

    const listed = await users();
    // The admin named by the secrets is there even before anyone signed in.
    expect(listed.map((u) => [u.email, u.role])).toEqual(expect.arrayContaining([["admin@example.com", "admin"], ["vera@example.com", "viewer"]]));
    expect(JSON.stringify(listed)).not.toMatch(/password|hash|salt/i);

    const result = await signIn("vera@example.com", created.password);
    expect(result).toMatchObject({ ok: true, session: { identity: { email: "vera@example.com", role: "viewer" } } });

    const again = await api("/v1/users", { body: { email: "vera@example.com", role: "admin" } });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "conflict", message: expect.stringContaining("vera@example.com") } });
  });

  it("names each bad field", async () => {
    const response = await api("/v1/users", { body: { email: "not-an-email", role: "owner", password: "short" } });
    expect(response.status).toBe(422);
    const body = await response.json<{ error: { code: string; details: { path: string }[] } }>();
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.map((d) => d.path).sort()).toEqual(["email", "password", "role"]);
    expect((await api("/v1/users/nobody@example.com", { method: "PATCH", body: { disabled: true } })).status).toBe(404);
    expect((await api("/v1/users/admin@example.com", { method: "PATCH", body: {} })).status).toBe(422);
  });

  it("disables (ending the session at once) and re-enables a user, auditing both", async () => {
    const { user, password } = await apiJson<UserWithPassword>("/v1/users", {
      body: { email: "dan@example.com", role: "admin", password: "dan-chose-this-one" },
      expect: 201,
    });
    const first = await signIn("dan@example.com", "dan-chose-this-one");
    if (!first.ok) throw new Error("sign-in failed");
    expect(password).toBe("dan-chose-this-one");

    const disabled = await apiJson<ConsoleUser>(`/v1/users/${user.id}`, { method: "PATCH", body: { disabled: true } });
    expect(disabled.disabledAt).toEqual(expect.any(Number));
    expect(await gateway.session(first.token)).toBeNull();
    expect(await signIn("dan@example.com", "dan-chose-this-one")).toMatchObject({ ok: false });

    const enabled = await apiJson<ConsoleUser>("/v1/users/dan@example.com", { method: "PATCH", body: { disabled: false } });
    expect(enabled.disabledAt).toBeNull();
    expect(await signIn("dan@example.com", "dan-chose-this-one")).toMatchObject({ ok: true });

    const audit = await env.DB.prepare("SELECT actor, action, details FROM audit_log WHERE target = ? ORDER BY id").bind(user.id).all();
    expect(audit.results.map((r) => [r.actor, r.action, JSON.parse(String(r.details))])).toEqual([
      ["token:default", "user.create", { email: "dan@example.com", role: "admin" }],
      ["token:default", "user.update", { email: "dan@example.com", disabled: true }],
      ["token:default", "user.update", { email: "dan@example.com", disabled: false }],
    ]);
  });

  it("resets a password: the new one is shown once, the old one and its sessions stop working", async () => {
    const { password: old } = await apiJson<UserWithPassword>("/v1/users", { body: { email: "rae@example.com", role: "viewer" }, expect: 201 });
    const session = await signIn("rae@example.com", old);
    if (!session.ok) throw new Error("sign-in failed");

    const reset = await apiJson<UserWithPassword>("/v1/users/rae@example.com/reset-password", { method: "POST" });
    expect(reset.password).not.toBe(old);
    expect(await gateway.session(session.token)).toBeNull();
    expect(await signIn("rae@example.com", old)).toMatchObject({ ok: false });
    expect(await signIn("rae@example.com", reset.password)).toMatchObject({ ok: true });
    const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE target = ? AND action = 'user.reset_password'").bind(reset.user.id).all();
    expect(audit.results).toHaveLength(1);
    expect(JSON.stringify(await users())).not.toContain(reset.password);
  });

  it("refuses to disable or demote the last enabled admin with a clear 409, even when two race", async () => {
    // Only the seeded admin and one other are admins in this test's database.
    const others = (await users()).filter((u) => u.role === "admin" && u.email !== "admin@example.com" && u.disabledAt === null);
    for (const other of others) await apiJson(`/v1/users/${other.id}`, { method: "PATCH", body: { role: "viewer" } });
    const { user: second } = await apiJson<UserWithPassword>("/v1/users", { body: { email: "sam@example.com", role: "admin" }, expect: 201 });

    // Each disables the other at once: exactly one may win.
    const [a, b] = await Promise.all([
      api("/v1/users/admin@example.com", { method: "PATCH", body: { disabled: true } }),
      api(`/v1/users/${second.id}`, { method: "PATCH", body: { disabled: true } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(await loser.json()).toMatchObject({ error: { code: "last_admin", message: expect.stringContaining("last enabled admin") } });

    const remaining = (await users()).filter((u) => u.role === "admin" && u.disabledAt === null);
    expect(remaining).toHaveLength(1);
    const demote = await api(`/v1/users/${remaining[0]!.id}`, { method: "PATCH", body: { role: "viewer" } });
    expect(demote.status).toBe(409);
    // A disabled admin does not count, and re-enabling is always allowed.
    const disabled = a.status === 200 ? "admin@example.com" : second.id;
    expect((await api(`/v1/users/${disabled}`, { method: "PATCH", body: { disabled: false } })).status).toBe(200);
  });

  it("is for admins: a console viewer is refused, even asking the API directly through the gateway", async () => {
    const viewer = { userId: "u-v", email: "v@example.com", role: "viewer" as const };
    const listed = await gateway.api(new Request("https://console.test/v1/users"), viewer);
    expect(listed.status).toBe(403);
    const made = await gateway.api(
      new Request("https://console.test/v1/users", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "x@example.com", role: "admin" }) }),
      viewer,
    );
    expect(made.status).toBe(403);
    const admin = { userId: "u-a", email: "admin@example.com", role: "admin" as const };
    expect((await gateway.api(new Request("https://console.test/v1/users"), admin)).status).toBe(200);
  });
});
