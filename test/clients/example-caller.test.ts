/**
 * Proves the example caller in `workers/examples/pipeline-caller` runs a pipeline end to end over its
 * service binding to `OrchestratorService`, exactly as configured in its wrangler.toml: the events it
 * streams back are the execution's, in order, to the terminal one; the execution and the audit log name
 * the calling Worker from the binding's props; a refusal comes back with its stable code.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { historyInD1, saveTemplate } from "../support/executions.ts";

async function runThroughCaller(body: unknown): Promise<Record<string, any>[]> {
  const response = await env.EXAMPLE_CALLER.fetch("http://caller.example/run", { method: "POST", body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  const text = new TextDecoder().decode(await response.arrayBuffer());
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));
}

describe("example caller Worker", () => {
  it("starts a pipeline over RPC and follows its events to the end", async () => {
    await saveTemplate({
      id: "greeting",
      name: "Greeting",
      params: { name: { type: "string", required: true } },
      steps: [
        { id: "greet", agent: "echo", input: { value: "Hello, {{params.name}}!" } },
        { id: "count", agent: "echo", needs: ["greet"], input: { value: "{{steps.greet.output.value}}", progress: 3 } },
      ],
    });
    const lines = await runThroughCaller({ template: "greeting", params: { name: "Ada" } });
    const done = lines.at(-1)!;
    expect(done).toMatchObject({ done: true, status: "completed", output: { count: { value: "Hello, Ada!" } } });

    const events = lines.slice(0, -1);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.type).toBe("execution.queued");
    expect(events.filter((e) => e.type === "step.progress")).toHaveLength(3);
    expect(events.at(-1)!.type).toBe("execution.completed");

    await historyInD1();
    const execution = await env.DB.prepare("SELECT created_by FROM executions WHERE id = ?").bind(done.id).first<{ created_by: string }>();
    expect(execution?.created_by).toBe("service:example-caller");
    const audit = await env.DB.prepare("SELECT actor, action FROM audit_log WHERE target = ?").bind(done.id).all<{ actor: string; action: string }>();
    expect(audit.results).toEqual([{ actor: "service:example-caller", action: "execution.start" }]);
  });

  it("gets the stable error code of a refusal", async () => {
    const lines = await runThroughCaller({ template: "no-such-template" });
    expect(lines).toEqual([{ error: { code: "not_found", message: 'No template "no-such-template".' } }]);
  });
});
