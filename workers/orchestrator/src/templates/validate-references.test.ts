/**
 * Proves that `validateTemplate` checks every `{{…}}` reference where it stands: the param or step it
 * names must exist, a step's output must come from upstream, item and index only in a forEach input,
 * single references where a value must keep its type, params only in queue keys. Each issue's path
 * leads down to the string that holds the reference.
 */
import { describe, expect, it } from "vitest";
import type { FieldIssue } from "#shared/errors.ts";
import { ebookTemplate, registeredAgents } from "./ebook.fixture.ts";
import { validateTemplate } from "./validate.ts";

type Template = ReturnType<typeof ebookTemplate>;

function issuesAfter(change: (template: Template) => void): FieldIssue[] {
  const template = ebookTemplate();
  change(template);
  const result = validateTemplate(template, registeredAgents);
  if (result.ok) throw new Error("expected the template to be rejected");
  return result.issues;
}

function messageAt(path: string, change: (template: Template) => void): string {
  const issues = issuesAfter(change);
  const at = issues.filter((issue) => issue.path === path);
  expect(at, JSON.stringify(issues, null, 1)).toHaveLength(1);
  return at[0]?.message ?? "";
}

const step = (template: Template, index: number): Record<string, unknown> => {
  const found = template.steps[index];
  if (found === undefined) throw new Error(`no step ${index}`);
  return found;
};

describe("references in step input", () => {
  it("names a param the template does not declare", () => {
    const message = messageAt("steps.1.input.count", (t) => {
      step(t, 1).input = { count: "{{params.page}}" };
    });
    expect(message).toBe(
      'step "images" uses {{params.page}}, but the template declares no param "page"; declare it under params (declared: theme, pages)',
    );
  });

  it("names a field read from a param that has none", () => {
    expect(
      messageAt("steps.1.input.count", (t) => {
        step(t, 1).input = { count: "{{params.pages.max}}" };
      }),
    ).toBe('step "images" uses {{params.pages.max}}, but param "pages" is an integer and has no fields');
  });

  it("names a step that does not exist", () => {
    expect(
      messageAt("steps.1.input.brief", (t) => {
        step(t, 1).input = { brief: "{{steps.analyse.output.brief}}" };
      }),
    ).toBe('step "images" uses {{steps.analyse.output.brief}}, but there is no step "analyse"; steps are: analyze, images, review, publish');
  });

  it("names a step that is not upstream, and says to add it to needs", () => {
    expect(
      messageAt("steps.1.input.brief", (t) => {
        step(t, 1).input = { brief: "{{steps.review.output.x}}" };
      }),
    ).toBe('step "images" uses {{steps.review.output.x}} but "review" is not upstream of it; add "review" to needs');
  });

  it("names a step that runs beside, not before", () => {
    expect(
      messageAt("steps.1.input.brief", (t) => {
        t.steps.push({ id: "side", agent: "echo" });
        step(t, 1).input = { brief: "{{steps.side.output}}" };
      }),
    ).toMatch(/"side" is not upstream of it; add "side" to needs/);
  });

  it("accepts steps upstream through others", () => {
    const template = ebookTemplate();
    step(template, 3).input = { brief: "{{steps.analyze.output.brief}}", approved: "{{steps.review.output}}" };
    expect(validateTemplate(template, registeredAgents).ok).toBe(true);
  });

  it("names a step reading its own output", () => {
    expect(
      messageAt("steps.1.input.x", (t) => {
        step(t, 1).input = { x: "{{steps.images.output}}" };
      }),
    ).toMatch(/^step "images" uses \{\{steps\.images\.output\}\}, its own output/);
  });

  it("gives the path down to the string, also inside arrays", () => {
    const issues = issuesAfter((t) => {
      step(t, 1).input = { pages: [{ title: "ok" }, { title: "{{params.nope}}" }] };
    });
    expect(issues.map((issue) => issue.path)).toEqual(["steps.1.input.pages.1.title"]);
  });

  it("checks a whole input that is one string", () => {
    expect(issuesAfter((t) => (step(t, 1).input = "{{params.nope}}")).map((issue) => issue.path)).toEqual(["steps.1.input"]);
  });

  it("names malformed references and unclosed braces", () => {
    const issues = issuesAfter((t) => {
      step(t, 1).input = { a: "{{param.theme}}", b: "Theme {{params.theme", c: "{{steps.analyze}}" };
    });
    expect(issues).toEqual([
      { path: "steps.1.input.a", message: expect.stringMatching(/has no scope "param"/) },
      { path: "steps.1.input.b", message: expect.stringMatching(/never closes it with \}\}/) },
      { path: "steps.1.input.c", message: expect.stringMatching(/steps\.<id>\.output/) },
    ]);
  });

  it("leaves escaped braces alone", () => {
    const template = ebookTemplate();
    step(template, 1).input = { prompt: "Hello \\{{name}}" };
    expect(validateTemplate(template, registeredAgents).ok).toBe(true);
  });
});

describe("item and index", () => {
  it("are refused outside a forEach step", () => {
    const issues = issuesAfter((t) => {
      step(t, 1).input = { a: "{{item.title}}", b: "{{index}}" };
    });
    expect(issues).toEqual([
      {
        path: "steps.1.input.a",
        message: 'step "images" uses {{item.title}}, but item and index exist only in the input of a step with forEach',
      },
      { path: "steps.1.input.b", message: expect.stringMatching(/^step "images" uses \{\{index\}\}, but item and index/) },
    ]);
  });

  it("are refused in the when and items of a forEach step", () => {
    const issues = issuesAfter((t) => {
      step(t, 1).forEach = { items: "{{item}}" };
      step(t, 1).when = "{{index}}";
    });
    expect(issues.map((issue) => issue.path).sort()).toEqual(["steps.1.forEach.items", "steps.1.when"]);
    expect(issues.find((issue) => issue.path === "steps.1.when")?.message).toMatch(/\{\{index\}\} in when, but item and index/);
  });

  it("are refused in approval messages and pipeline params", () => {
    const issues = issuesAfter((t) => {
      step(t, 2).message = "Item {{item}}";
      t.steps.push({ id: "sub", type: "pipeline", template: "cover", params: { n: "{{index}}" } });
    });
    expect(issues.map((issue) => issue.path)).toEqual(["steps.2.message", "steps.4.params.n"]);
  });
});

describe("forEach.items", () => {
  it("must be exactly one reference", () => {
    expect(
      messageAt("steps.1.forEach.items", (t) => {
        step(t, 1).forEach = { items: "all of {{steps.analyze.output.list}}" };
      }),
    ).toMatch(/^forEach\.items \(the array to run over\) must be exactly one \{\{reference\}\} with nothing around it/);
    expect(
      messageAt("steps.1.forEach.items", (t) => {
        step(t, 1).forEach = { items: "steps.analyze.output.list" };
      }),
    ).toMatch(/must be exactly one \{\{reference\}\}/);
  });

  it("must name an upstream step", () => {
    expect(
      messageAt("steps.1.forEach.items", (t) => {
        step(t, 1).forEach = { items: "{{steps.publish.output.list}}" };
      }),
    ).toMatch(/"publish" is not upstream of it; add "publish" to needs/);
  });

  it("must be an array when it is a whole param", () => {
    expect(
      messageAt("steps.1.forEach.items", (t) => {
        step(t, 1).forEach = { items: "{{params.theme}}" };
      }),
    ).toMatch(/param "theme" is a string; declare it with type "array"/);
  });
});

describe("when", () => {
  it("must be one reference in its string form", () => {
    expect(
      messageAt("steps.1.when", (t) => {
        step(t, 1).when = "{{params.theme}} == space";
      }),
    ).toMatch(/^when \(the value to test.*\) must be exactly one \{\{reference\}\}/);
  });

  it("must have one reference as value", () => {
    expect(
      messageAt("steps.1.when.value", (t) => {
        step(t, 1).when = { value: "theme", equals: "space" };
      }),
    ).toMatch(/^when\.value \(the value to compare\) must be exactly one/);
  });

  it("checks references in the value and in what it is compared with", () => {
    const issues = issuesAfter((t) => {
      step(t, 1).when = { value: "{{steps.publish.output.ok}}", in: ["a", "{{params.nope}}"] };
    });
    expect(issues).toEqual([
      { path: "steps.1.when.value", message: expect.stringMatching(/"publish" is not upstream/) },
      { path: "steps.1.when.in.1", message: expect.stringMatching(/declares no param "nope"/) },
    ]);
  });
});

describe("approval messages and pipeline params", () => {
  it("checks approval messages", () => {
    expect(
      messageAt("steps.2.message", (t) => {
        step(t, 2).message = "Publish {{steps.publish.output.url}}?";
      }),
    ).toBe('step "review" uses {{steps.publish.output.url}} in message but "publish" is not upstream of it; add "publish" to needs');
  });

  it("checks pipeline params", () => {
    expect(
      messageAt("steps.4.params.theme", (t) => {
        t.steps.push({ id: "sub", type: "pipeline", template: "cover", params: { theme: "{{params.colour}}" } });
      }),
    ).toMatch(/declares no param "colour"/);
  });
});

describe("queue keys", () => {
  it.each([
    ["concurrency.key", "{{steps.analyze.output.x}}"],
    ["concurrency.key", "{{execution.id}}"],
    ["rateLimit.key", "{{item}}"],
  ])("%s refuses %s", (path, key) => {
    const message = messageAt(path, (t) => {
      if (path === "concurrency.key") t.concurrency.key = key;
      else t.rateLimit.key = key;
    });
    expect(message).toMatch(new RegExp(`only \\{\\{params\\.…\\}\\} can be used here`));
  });

  it("must name declared params", () => {
    expect(messageAt("rateLimit.key", (t) => (t.rateLimit.key = "user-{{params.user}}"))).toMatch(/declares no param "user"/);
  });

  it("may mix text and params", () => {
    const template = ebookTemplate();
    template.concurrency.key = "theme:{{params.theme}}:{{params.pages}}";
    expect(validateTemplate(template, registeredAgents).ok).toBe(true);
  });
});
