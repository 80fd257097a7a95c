/**
 * Proves the limits on failed console sign-ins: five per account and five per client address in 15
 * minutes; the sixth is refused before the password is checked (even the right one) with the time to
 * wait; a burst of parallel guesses gets no more than five checks; a good password clears the account's
 * failures but not the address's; failures leave the window after 15 minutes.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SignInRequest, SignInResult } from "#shared/console.ts";
import { SIGN_IN_LIMIT, SIGN_IN_WINDOW_MS } from "../../workers/orchestrator/src/auth/sign-in-limits.ts";
import { addUser, gateway } from "../support/console.ts";

const signIn = (request: SignInRequest): Promise<SignInResult> => gateway.signIn(request);

async function fail(times: number, request: Omit<SignInRequest, "password">): Promise<void> {
  for (let i = 0; i < times; i++) {
    expect(await signIn({ ...request, password: `guess ${i}` })).toMatchObject({ ok: false, code: "invalid_credentials" });
  }
}

describe("sign-in limits", () => {
  it("refuses an account's sixth failure in the window, even with the right password, and says how long to wait", async () => {
    await addUser("ada@example.com", "ada-password", "admin");
    expect(SIGN_IN_LIMIT).toBe(5);
    // From different addresses: the account's own limit is what stops this.
    for (let i = 0; i < SIGN_IN_LIMIT; i++) {
      expect(await signIn({ email: "ada@example.com", password: "nope", address: `198.51.100.${i}` })).toMatchObject({ code: "invalid_credentials" });
    }
    const refused = await signIn({ email: "ada@example.com", password: "ada-password", address: "198.51.100.99" });
    expect(refused).toEqual({
      ok: false,
      code: "rate_limited",
      message: expect.stringMatching(/try again in 15 minutes/),
      retryAfterSeconds: expect.any(Number),
    });
    if (refused.ok || refused.code !== "rate_limited") return;
    expect(refused.retryAfterSeconds).toBeGreaterThan(SIGN_IN_WINDOW_MS / 1000 - 10);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(SIGN_IN_WINDOW_MS / 1000);

    // Refused attempts are not failures of their own: once the oldest failure leaves the window, one fits.
    await env.DB.prepare("UPDATE sign_in_attempts SET at = at - ? WHERE id = (SELECT min(id) FROM sign_in_attempts)")
      .bind(SIGN_IN_WINDOW_MS)
      .run();
    expect(await signIn({ email: "ada@example.com", password: "ada-password" })).toMatchObject({ ok: true });
  });

  it("limits an address across accounts, and a good password does not reset the address", async () => {
    await addUser("bob@example.com", "bob-password", "admin");
    await addUser("eve@example.com", "eve-password", "viewer");
    const address = "203.0.113.7";
    await fail(2, { email: "bob@example.com", address });
    await fail(2, { email: "carol@example.com", address });
    // Signing in to one's own account from there buys no more guesses at another's.
    expect(await signIn({ email: "eve@example.com", password: "eve-password", address })).toMatchObject({ ok: true });
    await fail(1, { email: "dave@example.com", address });
    expect(await signIn({ email: "bob@example.com", password: "bob-password", address })).toMatchObject({ code: "rate_limited" });
    // Elsewhere, bob is fine: his account has two failures, not five.
    expect(await signIn({ email: "bob@example.com", password: "bob-password", address: "203.0.113.8" })).toMatchObject({ ok: true });
  });

  it("clears an account's failures after a good sign-in", async () => {
    await addUser("fay@example.com", "fay-password", "admin");
    await fail(SIGN_IN_LIMIT - 1, { email: "fay@example.com" });
    expect(await signIn({ email: "fay@example.com", password: "fay-password" })).toMatchObject({ ok: true });
    await fail(SIGN_IN_LIMIT, { email: "fay@example.com" });
    expect(await signIn({ email: "fay@example.com", password: "fay-password" })).toMatchObject({ code: "rate_limited" });
  });

  it("lets no more than the limit through a burst of parallel guesses", async () => {
    await addUser("gil@example.com", "gil-password", "admin");
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signIn({ email: "gil@example.com", password: `burst ${i}`, address: `192.0.2.${i}` })),
    );
    const codes = results.map((r) => (r.ok ? "ok" : r.code));
    expect(codes.filter((c) => c === "invalid_credentials")).toHaveLength(SIGN_IN_LIMIT);
    expect(codes.filter((c) => c === "rate_limited")).toHaveLength(12 - SIGN_IN_LIMIT);
  });

  it("limits unknown emails too, so guessing which accounts exist costs the same", async () => {
    await fail(SIGN_IN_LIMIT, { email: "ghost@example.com" });
    expect(await signIn({ email: "ghost@example.com", password: "any" })).toMatchObject({ code: "rate_limited" });
  });
});
