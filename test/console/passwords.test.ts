/**
 * Proves password hashing: PBKDF2-SHA256 with a per-hash random salt; verification uses the iteration
 * count stored with the hash (so old hashes keep working), a good sign-in re-hashes one made with fewer
 * iterations than today's, and no hash is ever made above the 100,000 iterations production Workers
 * allow. It does not measure timing; the constant-time compare is crypto.subtle.timingSafeEqual.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hashPassword, MAX_PBKDF2_ITERATIONS, PBKDF2_ITERATIONS, verifyPassword } from "../../workers/orchestrator/src/auth/passwords.ts";
import { addUser, gateway } from "../support/console.ts";

describe("passwords", () => {
  it("hashes with a fresh salt each time and verifies only the right password", async () => {
    const one = await hashPassword("correct horse");
    const two = await hashPassword("correct horse");
    expect(one.iterations).toBe(PBKDF2_ITERATIONS);
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    expect(one.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(one.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(one.salt).not.toBe(two.salt);
    expect(one.hash).not.toBe(two.hash);
    expect(await verifyPassword("correct horse", one)).toBe(true);
    expect(await verifyPassword("correct horse", two)).toBe(true);
    expect(await verifyPassword("correct horsE", one)).toBe(false);
    expect(await verifyPassword("", one)).toBe(false);
  });

  it("verifies with the iteration count stored beside the hash", async () => {
    const stored = await hashPassword("s3cret", 2_000);
    expect(stored.iterations).toBe(2_000);
    expect(await verifyPassword("s3cret", stored)).toBe(true);
    // The same hash read with another count is a different derivation: it must not match.
    expect(await verifyPassword("s3cret", { ...stored, iterations: 2_001 })).toBe(false);
  });

  it("refuses iteration counts production Workers would reject", async () => {
    await expect(hashPassword("x", MAX_PBKDF2_ITERATIONS + 1)).rejects.toThrow(/iterations/);
    await expect(hashPassword("x", 0)).rejects.toThrow(/iterations/);
  });

  it("re-hashes a password stored with fewer iterations at its owner's next good sign-in", async () => {
    await addUser("old@example.com", "old-password", "admin");
    const before = await env.DB.prepare("SELECT * FROM users WHERE email = 'old@example.com'").first<Record<string, unknown>>();
    expect(before?.password_iterations).toBe(1_000);

    expect(await gateway.signIn({ email: "old@example.com", password: "wrong" })).toMatchObject({ ok: false });
    const unchanged = await env.DB.prepare("SELECT * FROM users WHERE email = 'old@example.com'").first<Record<string, unknown>>();
    expect(unchanged).toEqual(before);

    expect(await gateway.signIn({ email: "old@example.com", password: "old-password" })).toMatchObject({ ok: true });
    const after = await env.DB.prepare("SELECT * FROM users WHERE email = 'old@example.com'").first<Record<string, unknown>>();
    expect(after?.password_iterations).toBe(PBKDF2_ITERATIONS);
    expect(after?.password_salt).not.toBe(before?.password_salt);
    expect(await gateway.signIn({ email: "old@example.com", password: "old-password" })).toMatchObject({ ok: true });
  });
});
