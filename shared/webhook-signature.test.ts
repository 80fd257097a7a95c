/**
 * Proves the webhook signature scheme a receiver relies on: a signature made with the secret verifies;
 * a changed body, another secret, a stale or future timestamp, or a malformed header does not; several
 * v1 values (during a secret rotation) verify when any one matches.
 */
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook } from "./webhook-signature.ts";

const secret = "whsec_0123456789abcdef";
const body = JSON.stringify({ id: "whd_1", type: "execution.completed", data: { ok: true } });
const now = 1_800_000_000_000;
const t = now / 1000;

describe("webhook signatures", () => {
  it("verifies what was signed with the same secret", async () => {
    const header = await signWebhook(secret, body, t);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(await verifyWebhook(secret, body, header, { now })).toEqual({ ok: true, timestamp: t });
  });

  it("refuses a changed body, another secret, and a broken header", async () => {
    const header = await signWebhook(secret, body, t);
    expect((await verifyWebhook(secret, `${body} `, header, { now })).ok).toBe(false);
    expect((await verifyWebhook("whsec_another_secret_000", body, header, { now })).ok).toBe(false);
    expect((await verifyWebhook(secret, body, header.replace(/v1=../, "v1=00"), { now })).ok).toBe(false);
    expect(await verifyWebhook(secret, body, null, { now })).toEqual({ ok: false, reason: expect.stringContaining("no baton-signature") });
    expect((await verifyWebhook(secret, body, "v1=abc", { now })).ok).toBe(false);
    expect((await verifyWebhook(secret, body, `t=${t},v1=not-hex`, { now })).ok).toBe(false);
  });

  it("refuses timestamps outside the tolerance, in either direction", async () => {
    const old = await signWebhook(secret, body, t - 301);
    expect(await verifyWebhook(secret, body, old, { now })).toEqual({ ok: false, reason: expect.stringContaining("tolerance") });
    const future = await signWebhook(secret, body, t + 301);
    expect((await verifyWebhook(secret, body, future, { now })).ok).toBe(false);
    expect((await verifyWebhook(secret, body, old, { now, toleranceSeconds: 600 })).ok).toBe(true);
  });

  it("accepts any matching v1 among several", async () => {
    const header = await signWebhook(secret, body, t);
    const other = (await signWebhook("whsec_old_secret_0000000", body, t)).split(",")[1];
    expect((await verifyWebhook(secret, body, `${header.split(",")[0]},${other},${header.split(",")[1]}`, { now })).ok).toBe(true);
  });
});
