/**
 * Proves the limits on failed console sign-ins leave no way for a stranger to lock an admin out:
 * failures from other addresses (any number of them) never stop the right password from a clean address;
 * five failures per (account, address) in 15 minutes, then that pair is refused before the password is
 * checked (even the right one) with the time to wait; every address in one IPv6 /64 counts as one; a
 * per-account slowdown that doubles with failures slows only addresses that have failed; a burst of
 * parallel guesses from one address gets at most five checks; unknown emails are limited the same way.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SignInRequest, SignInResult } from "#shared/console.ts";
import { signIn as signInAt } from "../../workers/orchestrator/src/auth/sign-in.ts";
import { ADDRESS_LIMIT, SIGN_IN_LIMIT, SIGN_IN_WINDOW_MS, SLOWDOWN_AFTER, slowdownMs } from "../../workers/orchestrator/src/auth/sign-in-limits.ts";
import { database } from "../../workers/orchestrator/src/db/client.ts";
import { addUser, gateway } from "../support/console.ts";

const signIn = (request: SignInRequest): Promise<SignInResult> => gateway.signIn(request);
/** The same sign-in at a chosen time, for the slowdown's clock. */
const signInWhen = (request: SignInRequest, now: number) => signInAt(database(env.DB), env, request, now);

async function fail(times: number, request: Omit<SignInRequest, "password">): Promise<void> {
  for (let i = 0; i < times; i++) {
    expect(await signIn({ ...request, password: `guess ${i}` })).toMatchObject({ ok: false, code: "invalid_credentials" });
  }
}

describe("sign-in limits", () => {
  it("never refuses the right password from a clean address, however many strangers failed elsewhere", async () => {
    await addUser("ada@example.com", "ada-password", "admin");
    for (let i = 0; i < 4 * SIGN_IN_LIMIT; i++) {
      const result = await signIn({ email: "ada@example.com", password: "nope", address: `198.51.100.${i}` });
      expect(result.ok).toBe(false);
    }
    expect(await signIn({ email: "ada@example.com", password: "ada-password", address: "192.0.2.10" })).toMatchObject({ ok: true });
    expect(await signIn({ email: "ada@example.com", password: "ada-password", address: "2001:db8:aa::1" })).toMatchObject({ ok: true });
  });

  it("refuses a pair's sixth attempt in the window, even with the right password, and says how long to wait", async () => {
    await addUser("bea@example.com", "bea-password", "admin");
    await fail(SIGN_IN_LIMIT, { email: "bea@example.com", address: "203.0.113.5" });
    const refused = await signIn({ email: "bea@example.com", password: "bea-password", address: "203.0.113.5" });
    expect(refused).toEqual({ ok: false, code: "rate_limited", message: expect.stringMatching(/try again in 15 minutes/), retryAfterSeconds: expect.any(Number) });
    if (refused.ok || refused.code !== "rate_limited") return;
    expect(refused.retryAfterSeconds).toBeGreaterThan(SIGN_IN_WINDOW_MS / 1000 - 10);
    // The same account from elsewhere is fine; the same address for another account too.
    expect(await signIn({ email: "bea@example.com", password: "bea-password", address: "203.0.113.6" })).toMatchObject({ ok: true });
    // Refused attempts are not failures of their own: once the oldest failure leaves the window, one fits.
    await env.DB.prepare("UPDATE sign_in_attempts SET at = at - ? WHERE key = 'pair:bea@example.com|203.0.113.5' AND id = (SELECT min(id) FROM sign_in_attempts WHERE key = 'pair:bea@example.com|203.0.113.5')")
      .bind(SIGN_IN_WINDOW_MS)
      .run();
    // (After the account's slowdown: five failures make that address wait a second.)
    const after = Date.now() + slowdownMs(SIGN_IN_LIMIT);
    expect(await signInWhen({ email: "bea@example.com", password: "bea-password", address: "203.0.113.5" }, after)).toMatchObject({ ok: true });
  });

  it("counts every address of one IPv6 /64 as one", async () => {
    await addUser("cy@example.com", "cy-password", "admin");
    for (let i = 1; i <= SIGN_IN_LIMIT; i++) {
      expect(await signIn({ email: "cy@example.com", password: "nope", address: `2001:db8:5:6::${i.toString(16)}` })).toMatchObject({ code: "invalid_credentials" });
    }
    expect(await signIn({ email: "cy@example.com", password: "cy-password", address: "2001:db8:5:6:ffff::99" })).toMatchObject({ code: "rate_limited" });
    expect(await signIn({ email: "cy@example.com", password: "cy-password", address: "2001:db8:5:7::1" })).toMatchObject({ ok: true });
  });

  it("slows an address that failed once the account has many failures, doubling the wait, but never a clean one", async () => {
    await addUser("dee@example.com", "dee-password", "admin");
    const t0 = Date.now();
    for (let i = 0; i < SLOWDOWN_AFTER; i++) {
      expect(await signInWhen({ email: "dee@example.com", password: "nope", address: `198.18.0.${i}` }, t0 + i)).toMatchObject({ code: "invalid_credentials" });
    }
    // 198.18.0.0 failed before; the account has SLOWDOWN_AFTER failures: it waits slowdownMs(SLOWDOWN_AFTER).
    const slowed = await signInWhen({ email: "dee@example.com", password: "dee-password", address: "198.18.0.0" }, t0 + SLOWDOWN_AFTER);
    expect(slowed).toMatchObject({ ok: false, code: "rate_limited", retryAfterSeconds: Math.ceil(slowdownMs(SLOWDOWN_AFTER) / 1000) });
    // A clean address is not slowed.
    expect(await signInWhen({ email: "dee@example.com", password: "nope", address: "198.18.1.1" }, t0 + 10)).toMatchObject({ code: "invalid_credentials" });
    // After the wait the slowed address gets its check; the next wait is twice as long.
    const later = t0 + 10 + slowdownMs(SLOWDOWN_AFTER + 1);
    expect(await signInWhen({ email: "dee@example.com", password: "nope", address: "198.18.0.0" }, later)).toMatchObject({ code: "invalid_credentials" });
    expect(slowdownMs(SLOWDOWN_AFTER + 2)).toBe(2 * slowdownMs(SLOWDOWN_AFTER + 1));
    expect(await signInWhen({ email: "dee@example.com", password: "dee-password", address: "198.18.0.1" }, later + 1)).toMatchObject({
      code: "rate_limited",
      retryAfterSeconds: Math.ceil(slowdownMs(SLOWDOWN_AFTER + 2) / 1000),
    });
    expect(await signInWhen({ email: "dee@example.com", password: "dee-password", address: "198.18.9.9" }, later + 2)).toMatchObject({ ok: true });
  });

  it("limits an address across accounts, and a good password does not reset the address", async () => {
    await addUser("eve@example.com", "eve-password", "viewer");
    const address = "203.0.113.7";
    for (let i = 0; i < ADDRESS_LIMIT - 1; i++) await fail(1, { email: `spray${i}@example.com`, address });
    expect(await signIn({ email: "eve@example.com", password: "eve-password", address })).toMatchObject({ ok: true });
    await fail(1, { email: "one-more@example.com", address });
    expect(await signIn({ email: "eve@example.com", password: "eve-password", address })).toMatchObject({ code: "rate_limited" });
    expect(await signIn({ email: "eve@example.com", password: "eve-password", address: "203.0.113.8" })).toMatchObject({ ok: true });
  });

  it("lets no more than the limit through a burst of parallel guesses from one address", async () => {
    await addUser("gil@example.com", "gil-password", "admin");
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signIn({ email: "gil@example.com", password: `burst ${i}`, address: "192.0.2.77" })),
    );
    const codes = results.map((r) => (r.ok ? "ok" : r.code));
    // Parallel attempts count against each other, so the slowdown may let even fewer through.
    const checked = codes.filter((c) => c === "invalid_credentials").length;
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(SIGN_IN_LIMIT);
    expect(codes.filter((c) => c === "rate_limited")).toHaveLength(12 - checked);
  });

  it("limits unknown emails too, so guessing which accounts exist costs the same", async () => {
    await fail(SIGN_IN_LIMIT, { email: "ghost@example.com" });
    expect(await signIn({ email: "ghost@example.com", password: "any" })).toMatchObject({ code: "rate_limited" });
  });
});
