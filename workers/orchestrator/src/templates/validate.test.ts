/**
 * Proves what `validateTemplate` accepts and how it names each problem: schema problems with dotted
 * paths and plain messages, then every cross-field rule (ids, needs, cycles, agents, pipelines, param
 * specs, schedule), all reported in one answer. References have their own file. Does not prove the
 * HTTP route that returns these issues.
 */
import { describe, expect, it } from "vitest";
import type { FieldIssue } from "#shared/errors.ts";
import { ebookTemplate, registeredAgents } from "./ebook.fixture.ts";
import { type TemplateValidationContext, validateTemplate } from "./validate.ts";

function issuesOf(raw: unknown, context: TemplateValidationContext = registeredAgents): FieldIssue[] {
  const result = validateTemplate(raw, context);
  if (result.ok) throw new Error("expected the template to be rejected");
  return result.issues;
}

/** The one issue at `path`; fails when there is none or more than one. */
function issueAt(raw: unknown, path: string, context?: TemplateValidationContext): string {
  const issues = issuesOf(raw, context);
  const at = issues.filter((issue) => issue.path === path);
  expect(at, JSON.stringify(issues, null, 1)).toHaveLength(1);
  return at[0]?.message ?? "";
}

describe("validateTemplate accepts", () => {
  it("the docs/architecture.md example, with every default filled in", () => {
    const result = validateTemplate(ebookTemplate(), registeredAgents);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.template.steps.map((step) => step.type)).toEqual(["agent", "agent", "approval", "agent"]);
    expect(result.template.steps[2]).toMatchObject({ type: "approval", onTimeout: "reject" });
    expect(result.template.steps[0]).toMatchObject({ retry: { limit: 3, delayMs: 500, backoff: "exponential", jitter: false } });
  });

  it("a minimal template", () => {
    const result = validateTemplate({ id: "one", name: "One", steps: [{ id: "a", agent: "echo" }] }, registeredAgents);
    expect(result).toMatchObject({ ok: true, template: { params: {}, priority: 0 } });
  });

  it("forEach, conditions and pipeline steps used correctly", () => {
    const template = {
      id: "fan",
      name: "Fan out",
      params: { topics: { type: "array", default: ["a"] }, mode: { type: "string", enum: ["fast", "slow"], default: "fast" } },
      steps: [
        { id: "search", agent: "echo", input: { q: "{{params.topics}}" } },
        {
          id: "each",
          agent: "echo",
          needs: ["search"],
          forEach: { items: "{{steps.search.output.results}}", concurrency: 2 },
          input: { value: "{{item.title}} #{{index}} of {{execution.id}}" },
          when: { value: "{{params.mode}}", in: ["fast", "{{params.mode}}"] },
        },
        { id: "topics", agent: "echo", forEach: { items: "{{params.topics}}" }, input: "{{item}}" },
        { id: "sub", type: "pipeline", template: "cover", needs: ["each"], params: { theme: "{{steps.search.output.q}}" } },
        { id: "gate", type: "approval", needs: ["sub"], when: "{{steps.each.output}}", message: "{{execution.templateId}}" },
      ],
    };
    const result = validateTemplate(template, registeredAgents);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it("pipeline steps without a templateExists check", () => {
    const template = { id: "p", name: "P", steps: [{ id: "sub", type: "pipeline", template: "anything" }] };
    expect(validateTemplate(template, { agentStatus: () => "unknown" }).ok).toBe(true);
  });
});

describe("validateTemplate reports schema problems", () => {
  it("rejects a body that is not an object", () => {
    expect(issuesOf(null)).toEqual([{ path: "", message: "expected an object; got null" }]);
    expect(issuesOf([])).toEqual([{ path: "", message: "expected an object; got an array" }]);
  });

  it.each<[string, (t: ReturnType<typeof ebookTemplate>) => void, string, RegExp]>([
    ["a missing name", (t) => Reflect.deleteProperty(t, "name"), "name", /^is missing; expected a string$/],
    ["a bad id", (t) => (t.id = "Ebook!"), "id", /^use 1-64 lowercase letters.*; got "Ebook!"$/],
    ["no steps", (t) => (t.steps = []), "steps", /^must have at least 1 item$/],
    ["a bad step id", (t) => (t.steps[0] = { id: "Bad Id", agent: "echo" }), "steps.0.id", /use 1-64 lowercase letters/],
    ["an unknown step field", (t) => ((t.steps[1] ?? {}).agnet = "x"), "steps.1.agnet", /^unknown field "agnet"/],
    ["a field of another step type", (t) => ((t.steps[2] ?? {}).agent = "x"), "steps.2.agent", /^unknown field "agent"/],
    ["an unknown step type", (t) => ((t.steps[2] ?? {}).type = "aproval"), "steps.2.type", /^must be one of "agent", "approval", "pipeline"; got "aproval"$/],
    ["retry.limit too big", (t) => ((t.steps[0] ?? {}).retry = { limit: 500 }), "steps.0.retry.limit", /^must be at most 100; got 500$/],
    ["a fractional retry.limit", (t) => ((t.steps[0] ?? {}).retry = { limit: 1.5 }), "steps.0.retry.limit", /^expected an integer; got 1.5$/],
    ["a bad backoff", (t) => ((t.steps[0] ?? {}).retry = { limit: 1, backoff: "fast" }), "steps.0.retry.backoff", /^must be one of "constant", "linear", "exponential"; got "fast"$/],
    ["timeoutMs of 0", (t) => ((t.steps[0] ?? {}).timeoutMs = 0), "steps.0.timeoutMs", /^must be at least 1; got 0$/],
    ["a bad lock", (t) => ((t.steps[3] ?? {}).locks = ["store front"]), "steps.3.locks.0", /name or name:count/],
    ["a when of the wrong kind", (t) => ((t.steps[1] ?? {}).when = 5), "steps.1.when", /^expected a string or an object; got 5$/],
    ["a when with a typo", (t) => ((t.steps[1] ?? {}).when = { value: "{{params.theme}}", equal: "x" }), "steps.1.when.equal", /^unknown field "equal"/],
    ["forEach without items", (t) => ((t.steps[1] ?? {}).forEach = {}), "steps.1.forEach.items", /^is missing; expected a string$/],
    ["a bad param type", (t) => (t.params.pages = { type: "int" }), "params.pages.type", /^must be one of "string", "integer"/],
    ["a bad param name", (t) => (t.params["1st"] = { type: "string" }), "params.1st", /"1st" is not a valid name: use 1-64 letters/],
    ["a bad window", (t) => (t.rateLimit.window = "5y"), "rateLimit.window", /^use a number and a unit.*; got "5y"$/],
    ["a zero budget", (t) => (t.budget.maxCostUsd = 0), "budget.maxCostUsd", /^must be greater than 0; got 0$/],
    ["a cron of the wrong type", (t) => (t.schedule.cron = 5), "schedule.cron", /^expected a string; got 5$/],
    ["a pipeline step without template", (t) => (t.steps[3] = { id: "publish", type: "pipeline" }), "steps.3.template", /^is missing/],
  ])("names %s", (_, breakIt, path, message) => {
    const template = ebookTemplate();
    breakIt(template);
    expect(issueAt(template, path)).toMatch(message);
  });

  it("reports every schema problem at once", () => {
    const template = ebookTemplate();
    template.id = "";
    (template.steps[0] ?? {}).timeoutMs = -1;
    (template.steps[1] ?? {}).typo = true;
    expect(issuesOf(template).map((issue) => issue.path)).toEqual(["id", "steps.0.timeoutMs", "steps.1.typo"]);
  });
});

describe("validateTemplate reports step problems", () => {
  it("names a duplicate step id at the later step", () => {
    const template = ebookTemplate();
    (template.steps[3] ?? {}).id = "analyze";
    expect(issueAt(template, "steps.3.id")).toBe('step id "analyze" is already used by steps.0; give every step its own id');
  });

  it("names an unknown step in needs and lists the steps", () => {
    const template = ebookTemplate();
    (template.steps[2] ?? {}).needs = ["imagez"];
    expect(issueAt(template, "steps.2.needs.0")).toBe(
      'step "review" needs "imagez", which is not a step of this template; steps are: analyze, images, review, publish',
    );
  });

  it("names a step that needs itself", () => {
    const template = ebookTemplate();
    (template.steps[1] ?? {}).needs = ["analyze", "images"];
    expect(issueAt(template, "steps.1.needs.1")).toMatch(/^step "images" needs itself.*remove "images" from its needs/);
  });

  it("names a need listed twice", () => {
    const template = ebookTemplate();
    (template.steps[1] ?? {}).needs = ["analyze", "analyze"];
    expect(issueAt(template, "steps.1.needs.1")).toMatch(/"analyze" is listed twice/);
  });

  it("names a cycle as a → b → a on the need that closes it", () => {
    const template = ebookTemplate();
    (template.steps[0] ?? {}).needs = ["review"];
    const message = issueAt(template, "steps.0.needs.0");
    expect(message).toMatch(/^steps form a cycle: analyze → images → review → analyze;/);
    expect(message).toMatch(/Remove one of these needs/);
  });

  it("names an unknown agent and lists the known ones", () => {
    const template = ebookTemplate();
    (template.steps[1] ?? {}).agent = "image-gem";
    expect(issueAt(template, "steps.1.agent")).toBe(
      'agent "image-gem" is not registered; known agents: market-scout, image-gen, publisher, echo, legacy. Register it or fix the name',
    );
  });

  it("says so when no agent is registered at all", () => {
    const context = { agentStatus: () => "unknown" as const, agentNames: () => [] };
    expect(issueAt({ id: "t", name: "T", steps: [{ id: "a", agent: "echo" }] }, "steps.0.agent", context)).toMatch(
      /no agents are registered yet/,
    );
  });

  it("names a disabled agent and lists the available ones", () => {
    const template = ebookTemplate();
    (template.steps[3] ?? {}).agent = "legacy";
    expect(issueAt(template, "steps.3.agent")).toBe(
      'agent "legacy" is disabled; enable it or use another agent (available: market-scout, image-gen, publisher, echo)',
    );
  });

  it("names a pipeline step whose template does not exist, or is this one", () => {
    const template = ebookTemplate();
    template.steps[3] = { id: "publish", type: "pipeline", template: "nowhere", needs: ["review"] };
    expect(issueAt(template, "steps.3.template")).toMatch(/^template "nowhere" does not exist/);
    template.steps[3] = { id: "publish", type: "pipeline", template: "ebook", needs: ["review"] };
    expect(issueAt(template, "steps.3.template")).toMatch(/^template "ebook" cannot run itself/);
  });

  it("names a retry whose maxDelayMs is below delayMs", () => {
    const template = ebookTemplate();
    (template.steps[0] ?? {}).retry = { limit: 2, delayMs: 5000, maxDelayMs: 1000 };
    expect(issueAt(template, "steps.0.retry.maxDelayMs")).toMatch(/maxDelayMs 1000 is less than delayMs 5000/);
  });
});

describe("validateTemplate reports param and schedule problems", () => {
  it("names a default that breaks its own spec", () => {
    const template = ebookTemplate();
    template.params.pages = { type: "integer", default: 500, minimum: 1, maximum: 100 };
    expect(issueAt(template, "params.pages.default")).toMatch(/must be at most 100; got 500/);
  });

  it("names minimum > maximum", () => {
    const template = ebookTemplate();
    template.params.pages = { type: "integer", minimum: 10, maximum: 5 };
    expect(issueAt(template, "params.pages.minimum")).toMatch(/minimum 10 is greater than maximum 5/);
  });

  it("names a bad cron with the field and the reason", () => {
    const template = ebookTemplate();
    template.schedule.cron = "0 25 * * *";
    expect(issueAt(template, "schedule.cron")).toBe('not a valid cron expression: hour field "25": "25" is not a number 0-23');
  });

  it("names schedule params that the template's params refuse", () => {
    const template = ebookTemplate();
    template.schedule.params = { theme: 42, pages: 1000, colour: "red" };
    expect(issueAt(template, "schedule.params.theme")).toBe('expected a string; got 42');
    expect(issueAt(template, "schedule.params.pages")).toMatch(/must be at most 100/);
    expect(issueAt(template, "schedule.params.colour")).toMatch(/unknown param "colour"/);
  });

  it("names a required param a schedule does not give", () => {
    const template = ebookTemplate();
    template.schedule = { cron: "0 * * * *" };
    expect(issueAt(template, "schedule.params.theme")).toMatch(/required param "theme" is missing/);
  });
});

describe("validateTemplate reports everything at once", () => {
  it("lists every cross-field problem in one answer", () => {
    const template = ebookTemplate();
    template.params.pages = { type: "integer", default: 0, minimum: 1 };
    (template.steps[1] ?? {}).agent = "nope";
    (template.steps[2] ?? {}).needs = ["ghost"];
    (template.steps[3] ?? {}).id = "analyze";
    (template.steps[3] ?? {}).input = { x: "{{steps.images.output}}" };
    template.concurrency.key = "{{execution.id}}";
    template.schedule.cron = "* * *";
    expect(issuesOf(template).map((issue) => issue.path).sort()).toEqual(
      [
        "params.pages.default",
        "steps.1.agent",
        "steps.2.needs.0",
        "steps.3.id",
        "steps.3.input.x",
        "concurrency.key",
        "schedule.cron",
      ].sort(),
    );
  });
});
