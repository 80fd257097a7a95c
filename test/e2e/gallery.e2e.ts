/**
 * The console's issue-24 features, as a user meets them, run inside the console story
 * (console.e2e.ts, after the ebook execution it starts): an agent runs from its card through the form
 * generated from its input schema (bad input named by the orchestrator, then a good run followed live);
 * a pipeline's insights show its runs per theme against the rate limit, reached from the dashboard; and
 * New pipeline offers the gallery, to copy into the editor or to start at once.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { TestCase } from "./runner.ts";

export interface StoryHelpers {
  current(): Page;
  visit(path: string, heading: string): Promise<void>;
  shot(name: string): Promise<void>;
  test(name: string, fn: () => Promise<void>, timeoutMs?: number): TestCase;
}

export function galleryTests({ current, visit, shot, test }: StoryHelpers): TestCase[] {
  return [
    test("runs an agent from its card with the form generated from its input schema", async () => {
      const p = current();
      await visit("/agents", "Agents");
      // npm start turned the llm agent's stand-in on, and the card says so.
      await p.locator(".agent-card").filter({ hasText: "stand-in" }).first().waitFor();
      await p.getByRole("link", { name: "Run echo" }).click();
      await p.getByRole("heading", { level: 1, name: "Run echo" }).waitFor();
      // Bad input in raw JSON: the orchestrator names the field.
      await p.getByRole("button", { name: "Edit as JSON" }).click();
      await p.locator("#input-raw").fill('{ "delayMs": "soon" }');
      await p.getByRole("button", { name: "Run echo" }).click();
      await p.getByRole("alert").getByText("input.delayMs").waitFor({ timeout: 15_000 });
      // The generated form: a nested object is a group of its own fields.
      await p.getByRole("button", { name: "Use the form" }).click();
      await p.locator("fieldset").filter({ hasText: "fail" }).getByLabel("times").waitFor();
      await p.getByLabel("value").fill("hello from the card");
      await p.getByLabel("progress").fill("3");
      await p.getByLabel("delayMs").fill("1500");
      await shot("19 agent run form");
      await Promise.all([p.waitForURL((u) => u.pathname.startsWith("/executions/ex_"), { timeout: 20_000 }), p.getByRole("button", { name: "Run echo" }).click()]);
      await p.getByRole("heading", { level: 1, name: "Run agent echo" }).waitFor({ timeout: 20_000 });
      await p.locator(".exec-title .status[data-status=completed]").waitFor({ timeout: 30_000 });
      await p.locator(".step-card[data-step=run] .step-title").click();
      await p.locator(".step-detail").getByText("hello from the card").first().waitFor({ timeout: 10_000 });
      await shot("20 agent run completed");
    }),

    test("a pipeline's insights show its runs per theme against the rate limit, linked from the dashboard", async () => {
      const p = current();
      await visit("/", "Dashboard");
      await p.getByRole("link", { name: "Insights: Ebook production" }).click();
      await p.getByRole("heading", { level: 1, name: "Ebook production" }).waitFor();
      const panel = p.locator("#insights");
      await panel.getByRole("heading", { name: "Insights" }).waitFor();
      assert.equal(await panel.getByLabel("Group by").inputValue(), "theme");
      const row = panel.locator("tbody tr").filter({ hasText: "deep sea creatures" });
      await row.waitFor({ timeout: 15_000 });
      assert.equal(await row.locator("td").nth(1).textContent(), "1", "one ebook about deep sea creatures");
      await row.getByText("1/3 per 30d · free").waitFor();
      assert.equal(await row.locator("meter").getAttribute("value"), "1");
      await panel.getByRole("button", { name: "7 days" }).click();
      assert.equal(await panel.getByRole("button", { name: "7 days" }).getAttribute("aria-pressed"), "true");
      await row.waitFor();
      await panel.getByLabel("Top keys").getByText("deep sea creatures").waitFor();
      await panel.scrollIntoViewIfNeeded();
      await shot("21 pipeline insights");
    }),

    test("New pipeline offers the gallery, to start at once or to copy into the editor", async () => {
      const p = current();
      await visit("/pipelines/new", "New pipeline");
      const gallery = p.locator(".gallery");
      await gallery.getByRole("heading", { name: "Start from the gallery" }).waitFor();
      assert.ok((await gallery.locator(".gallery-card").count()) >= 14, "every sample is offered");
      await gallery.getByRole("button", { name: "Use Translate into several languages as a starting point" }).click();
      assert.match(await p.locator("#template-json").inputValue(), /"id": "my-translate"/);
      await p.getByText("✓ Valid").waitFor({ timeout: 15_000 });
      await shot("22 new pipeline from the gallery");
      await gallery.getByRole("link", { name: "Start Translate into several languages" }).click();
      await p.getByRole("heading", { level: 1, name: "Start Translate into several languages" }).waitFor();
      await Promise.all([p.waitForURL((u) => u.pathname.startsWith("/executions/ex_"), { timeout: 20_000 }), p.getByRole("button", { name: "Start execution" }).click()]);
      await p.locator(".exec-title .status[data-status=completed]").waitFor({ timeout: 30_000 });
    }),

  ];
}
