/**
 * Proves Baton signs its calls to HTTP agents: registration answers a signing secret once (never again,
 * in no listing), every `POST /run` carries a `Baton-Signature` that the agent verifies with
 * `verifyWebhook` (the test agent refuses calls that fail the check, as docs/agents.md tells agents
 * to), and rotating the secret makes calls signed with the old one stop.
 */
import { describe, expect, it } from "vitest";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";

async function giveAgent(secret: string): Promise<void> {
  await (await fetch("http://signed.agents.test/_secret", { method: "POST", body: JSON.stringify({ secret }) })).text();
}

describe("signed calls to HTTP agents", () => {
  it("shows the secret once, signs every run with it, and stops using a rotated one", async () => {
    const registered = await apiJson("/v1/agents", { body: { name: "signed", url: "http://signed.agents.test" }, expect: 201 });
    expect(registered.signingSecret).toMatch(/^bas_[\w-]{40,}$/);
    expect(JSON.stringify(await apiJson("/v1/agents/signed"))).not.toContain(registered.signingSecret);
    expect(JSON.stringify(await apiJson("/v1/agents"))).not.toContain(registered.signingSecret);

    await giveAgent(registered.signingSecret);
    await saveTemplate({ id: "signed-run", name: "Signed", steps: [{ id: "call", agent: "signed", input: { value: "hi" }, retry: { limit: 0 } }] });
    expect(await waitFor(await start("signed-run"))).toMatchObject({ status: "completed" });
    expect(await (await fetch("http://signed.agents.test/_checks")).json()).toEqual(["ok"]);

    const rotated = await apiJson("/v1/agents/signed/rotate-secret", { method: "POST" });
    expect(rotated).toEqual({ name: "signed", signingSecret: expect.stringMatching(/^bas_/) });
    expect(rotated.signingSecret).not.toBe(registered.signingSecret);
    // The agent still holds the old secret: it refuses the call, and the step fails without retrying.
    const refused = await waitFor(await start("signed-run"));
    expect(refused.status).toBe("failed");
    expect(refused.steps[0]!.error?.message).toContain("not from Baton: no v1 signature matches the body");

    await giveAgent(rotated.signingSecret);
    expect(await waitFor(await start("signed-run"))).toMatchObject({ status: "completed" });
  });

  it("has no secret to rotate for a bound agent", async () => {
    expect((await api("/v1/agents/echo/rotate-secret", { method: "POST" })).status).toBe(409);
  });
});
