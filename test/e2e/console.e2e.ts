/**
 * The console, as an admin uses it, in one story: signed out it sends you to sign in; the printed
 * credentials work; the sample ebook pipeline starts from its generated form and its steps go live up
 * to the approval; approving completes it and it shows in History; every tab renders (a screenshot of
 * each lands in test-results/console/); the editor puts validation errors at their line; the config
 * form validates and confirms; a pipeline's page lists its triggers and their deliveries; text a user
 * wrote stays text; an admin adds a viewer in Config, who then signs in read-only; an agent runs from its
 * card through a form generated from its schema; a pipeline shows its insights per key; New pipeline
 * offers the gallery; and signing out ends the session.
 *
 * It proves what a person sees through the real stack (Functions, proxy, orchestrator, agents). It does
 * not re-test API behaviour that the workerd tests cover.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { galleryTests } from "./gallery.e2e.ts";
import { resultsDir, slug, type TestCase } from "./runner.ts";
import type { Stack } from "./stack.ts";

const PAGES = 30;

/** The browser globals the page functions below read (this file is type-checked for Node, not the DOM). */
interface InPage {
  document: { activeElement: { textContent: string | null } | null; querySelectorAll(selector: string): { length: number } };
  e2eMark?: string;
  e2eInjected?: number;
}

export function consoleTests(stack: Stack, context: BrowserContext): { tests: TestCase[]; page: () => Page | undefined } {
  let page: Page | undefined;
  let executionId = "";
  const pageErrors: string[] = [];
  const url = (path: string) => `${stack.consoleUrl}${path}`;
  const current = (): Page => {
    assert.ok(page, "no page: an earlier test failed before opening one");
    return page;
  };
  const shot = async (name: string) => {
    await current().screenshot({ path: join(resultsDir, `${slug(name)}.png`), fullPage: true });
  };
  /** Waits until the view has loaded (no "Loading…" left) and the charts have drawn. */
  const settled = async () => {
    await current().waitForFunction(() => (globalThis as unknown as InPage).document.querySelectorAll(".state-loading").length === 0, undefined, { timeout: 20_000 });
    await current().waitForTimeout(300);
  };
  const visit = async (path: string, heading: string) => {
    await current().goto(url(path));
    await current().getByRole("heading", { level: 1, name: heading }).waitFor({ timeout: 20_000 });
    await settled();
  };
  const test = (name: string, fn: () => Promise<void>, timeoutMs = 90_000): TestCase => ({ name, fn, timeoutMs });

  const tests: TestCase[] = [
    test("a signed-out visitor is sent to the sign-in page", async () => {
      page = await context.newPage();
      page.on("pageerror", (error) => pageErrors.push(`${page?.url()}: ${error.message}`));
      await page.goto(url("/history"));
      await page.waitForURL((u) => u.pathname === "/sign-in", { timeout: 20_000 });
      assert.equal(new URL(page.url()).searchParams.get("next"), "/history");
      const api = await page.request.get(url("/api/v1/executions"));
      assert.equal(api.status(), 401, "the API proxy must refuse a request without a session");
      await shot("00 sign-in");
    }),

    test("signs in with the credentials npm start printed, and lands where it was going", async () => {
      const p = current();
      await p.fill("#email", stack.email);
      await p.fill("#password", "not the password");
      await p.click("button[type=submit]");
      await p.getByRole("alert").waitFor({ timeout: 15_000 });
      await p.fill("#email", stack.email);
      await p.fill("#password", stack.password);
      await Promise.all([p.waitForURL((u) => u.pathname === "/history", { timeout: 20_000 }), p.click("button[type=submit]")]);
      await p.getByRole("heading", { level: 1, name: "History" }).waitFor();
      await p.getByText(stack.email).waitFor({ timeout: 10_000 });
    }),

    test("starts the ebook pipeline from the form generated from its params", async () => {
      const p = current();
      await visit("/pipelines", "Pipelines");
      await shot("02 pipelines");
      await p.getByRole("link", { name: "Start Ebook production" }).click();
      await p.getByRole("heading", { level: 1, name: "Start Ebook production" }).waitFor();
      const theme = p.getByLabel("theme");
      const pages = p.getByLabel("pages");
      assert.equal(await pages.inputValue(), "12", "the default of pages fills its field");
      await p.getByRole("button", { name: "Start execution" }).click();
      await p.locator("#param-theme-error").getByText("Required.").waitFor();
      await pages.fill("500");
      await pages.blur();
      await p.locator("#param-pages-error").getByText("At most 100.").waitFor();
      await theme.fill("deep sea creatures");
      await pages.fill(String(PAGES));
      await p.getByText(/No completed runs of this template yet|typical/).waitFor({ timeout: 15_000 });
      await shot("03 start form");
      await Promise.all([p.waitForURL((u) => u.pathname.startsWith("/executions/ex_"), { timeout: 20_000 }), p.getByRole("button", { name: "Start execution" }).click()]);
      executionId = decodeURIComponent(new URL(p.url()).pathname.split("/").pop() as string);
      assert.match(executionId, /^ex_/);
    }),

    test("the execution view follows the steps live to the approval", async () => {
      const p = current();
      // Marks this document: if the view reloaded instead of updating live, the mark would be gone.
      await p.evaluate(() => {
        (globalThis as unknown as InPage).e2eMark = "same page";
      });
      const progress = p.locator("[data-testid=progress-images]");
      await progress.waitFor({ timeout: 60_000 });
      const seen = await progress.textContent();
      const match = /^(\d+)\/(\d+)/.exec(seen ?? "");
      assert.ok(match, `images progress reads like "15/30 …", got ${JSON.stringify(seen)}`);
      assert.equal(Number(match[2]), PAGES);
      assert.ok(Number(match[1]) < PAGES, `caught the images step while running (${seen})`);
      await shot("04 execution running");
      await p.locator("[data-testid=approval-review]").waitFor({ timeout: 90_000 });
      for (const step of ["analyze", "decide", "images", "retouch", "assemble", "validate"]) {
        assert.equal(await p.locator(`.step-card[data-step=${step}] .status`).getAttribute("data-status"), "completed", `${step} completed`);
      }
      assert.equal(await p.locator(".step-card[data-step=review] .status").getAttribute("data-status"), "waiting");
      assert.equal(await p.locator(".exec-title .status").getAttribute("data-status"), "waiting");
      assert.equal(await p.evaluate(() => (globalThis as unknown as InPage).e2eMark), "same page");
      await p.locator(".step-card[data-step=images] .step-title").click();
      await p.locator(".step-detail").getByRole("heading", { name: "Output" }).waitFor();
      await p.locator(".log-message").filter({ hasText: "deep sea creatures" }).first().waitFor({ timeout: 10_000 });
      await shot("05 execution waiting for approval");
    }),

    test("approving with a comment completes the execution", async () => {
      const p = current();
      const approval = p.locator("[data-testid=approval-review]");
      await approval.getByPlaceholder("Comment (optional)").fill("Looks great, ship it");
      await approval.getByRole("button", { name: "Approve" }).click();
      await p.locator(".exec-title .status[data-status=completed]").waitFor({ timeout: 60_000 });
      assert.equal(await p.locator(".step-card[data-step=publish] .status").getAttribute("data-status"), "completed");
      await shot("06 execution completed");
    }),

    test("the completed execution is in History, linked to its view", async () => {
      const p = current();
      await p.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "History" }).click();
      await p.getByRole("heading", { level: 1, name: "History" }).waitFor();
      const row = p.locator("[data-testid=history-table] tr").filter({ hasText: executionId });
      await row.waitFor({ timeout: 20_000 });
      assert.equal(await row.locator(".status").getAttribute("data-status"), "completed");
      await p.getByLabel("completed").check();
      await p.waitForURL((u) => u.searchParams.get("status") === "completed");
      await row.waitFor();
      await settled();
      await shot("07 history");
      await row.getByRole("link", { name: "ebook" }).click();
      await p.waitForURL((u) => u.pathname === `/executions/${executionId}`);
      await p.locator(".exec-title .status[data-status=completed]").waitFor();
    }),

    test("every tab renders with its data (screenshots in test-results/console)", async () => {
      const p = current();
      await visit("/", "Dashboard");
      await p.locator(".recent-list").getByText("ebook").first().waitFor();
      assert.ok((await p.locator(".chart canvas").count()) >= 2, "the dashboard draws its charts");
      await shot("01 dashboard");

      await visit("/pipelines/ebook", "Ebook production");
      await p.getByText("✓ Valid").waitFor({ timeout: 15_000 });
      await shot("08 pipeline editor");

      await visit("/queue", "Queue");
      await p.getByText("Nothing waits").waitFor();
      await shot("09 queue");

      await visit("/approvals", "Approvals");
      await p.getByText("Nothing waits for a decision").waitFor();
      await shot("10 approvals");

      await visit("/agents", "Agents");
      assert.ok((await p.locator(".agent-card").count()) >= 5, "a card per agent");
      await p.locator(".agent-card").filter({ hasText: "illustrator" }).getByText("Runs 24 h").waitFor();
      await shot("11 agents");

      await visit("/resources", "Resources");
      await p.locator(".table").filter({ hasText: "ebook" }).first().waitFor();
      assert.ok((await p.locator(".chart canvas").count()) >= 4, "the resources tab draws its charts");
      await shot("12 resources");

      await visit("/logs", "Logs");
      await p.locator(".log-message").filter({ hasText: "deep sea creatures" }).first().waitFor({ timeout: 15_000 });
      await shot("13 logs");

      await visit("/config", "Config");
      await shot("14 config");
    }, 120_000),

    ...galleryTests({ current, visit, shot, test }),

    test("the pipeline editor shows each problem at its line", async () => {
      const p = current();
      await visit("/pipelines/new", "New pipeline");
      const draft = JSON.stringify(
        {
          id: "e2e-broken",
          name: "Broken on purpose",
          steps: [
            { id: "first", agent: "echo" },
            { id: "second", agent: "no-such-agent", needs: ["first"] },
          ],
        },
        null,
        2,
      );
      const editor = p.locator("#template-json");
      await editor.fill(draft);
      const issue = p.locator(".issue").filter({ hasText: "steps.1.agent" });
      await issue.waitFor({ timeout: 15_000 });
      const line = draft.split("\n").findIndex((text) => text.includes("no-such-agent")) + 1;
      assert.match((await issue.textContent()) ?? "", new RegExp(`line ${line}\\b`));
      assert.equal(await p.locator(".gutter-line.has-issue").first().textContent(), String(line));
      await p.locator(".code-line.has-issue .code-issue").filter({ hasText: "no-such-agent" }).waitFor();
      await shot("15 editor with a problem");
      await editor.fill(draft.replace('"agent": "echo"\n    },', '"agent": "echo"\n    }'));
      await p.locator(".issue").filter({ hasText: /Expected "," or "]"|Expected/ }).waitFor({ timeout: 10_000 });
      await editor.fill(draft.replace("no-such-agent", "echo"));
      await p.getByText("✓ Valid").waitFor({ timeout: 15_000 });
    }),

    test("the pipeline page shows its triggers and what became of their events", async () => {
      const p = current();
      const headers = { authorization: `Bearer ${stack.apiToken}`, "content-type": "application/json" };
      const put = await fetch(`${stack.apiUrl}/v1/triggers/e2e-greet`, {
        method: "PUT",
        headers,
        body: JSON.stringify({ template: "hello", auth: "token", params: { name: "{{payload.who}}" } }),
      });
      assert.equal(put.status, 201, await put.text());
      const sent = await fetch(`${stack.apiUrl}/v1/triggers/e2e-greet/events`, { method: "POST", headers, body: JSON.stringify({ who: "Grace" }) });
      const answer = await sent.text();
      assert.equal(sent.status, 202, answer);
      const { executionId } = JSON.parse(answer) as { executionId: string };
      await visit("/pipelines/hello", "Hello, Baton");
      const panel = p.getByTestId("pipeline-triggers");
      await panel.getByText("e2e-greet", { exact: true }).waitFor({ timeout: 15_000 });
      await panel.getByText("POST /v1/triggers/e2e-greet/events").waitFor();
      await panel.getByRole("button", { name: "Deliveries" }).click();
      await panel.getByTestId("trigger-deliveries").getByRole("link", { name: executionId }).waitFor({ timeout: 15_000 });
      await shot("15b pipeline triggers");
    }),

    test("the config form validates and confirms a save", async () => {
      const p = current();
      await visit("/config", "Config");
      const limit = p.getByLabel("Executions at once");
      await limit.fill("0");
      await p.locator("#config-globalConcurrency-error").waitFor();
      await limit.fill("40");
      await p.getByRole("button", { name: "Save" }).click();
      await p.getByText(/Saved at/).waitFor({ timeout: 15_000 });
      await p.reload();
      await p.getByRole("heading", { level: 1, name: "Config" }).waitFor();
      await settled();
      assert.equal(await p.getByLabel("Executions at once").inputValue(), "40");
    }),

    test("text a user wrote is shown as text, never as HTML", async () => {
      const p = current();
      const name = '<img src=x onerror="window.e2eInjected=1">Sneaky <b>bold</b>';
      const response = await fetch(`${stack.apiUrl}/v1/templates`, {
        method: "POST",
        headers: { authorization: `Bearer ${stack.apiToken}`, "content-type": "application/json" },
        body: JSON.stringify({ id: "e2e-markup", name, description: "<script>window.e2eInjected=2</script>", steps: [{ id: "a", agent: "echo" }] }),
      });
      assert.equal(response.status, 201, await response.text());
      await visit("/pipelines", "Pipelines");
      await p.getByText(name).waitFor();
      assert.equal(await p.locator("table img, table b, table script").count(), 0);
      assert.equal(await p.evaluate(() => (globalThis as unknown as InPage).e2eInjected), undefined);
    }),

    test("works at phone width, with the menu and the keyboard", async () => {
      const p = current();
      await p.setViewportSize({ width: 390, height: 844 });
      await visit(`/executions/${executionId}`, "Ebook production");
      await shot("16 phone execution");
      await visit("/", "Dashboard");
      await shot("17 phone dashboard");
      const menu = p.getByRole("button", { name: "Menu" });
      await menu.click();
      await p.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Agents" }).click();
      await p.getByRole("heading", { level: 1, name: "Agents" }).waitFor();
      await p.setViewportSize({ width: 1280, height: 900 });
      await visit("/queue", "Queue");
      await p.keyboard.press("Tab");
      assert.equal(await p.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.textContent), "Skip to content");
      await p.keyboard.press("Enter");
      await p.keyboard.press("Tab");
      // The first controls of the view come right after the skip link: "Pause all" opens its dialog.
      assert.equal(await p.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.textContent), "Pause all");
      await p.keyboard.press("Enter");
      await p.getByRole("dialog").getByText("Pause every execution?").waitFor();
      await p.keyboard.press("Escape");
      await p.getByRole("dialog").waitFor({ state: "hidden" });
    }),

    test("the queue reprioritizes, removes, and stops everything after a typed confirmation", async () => {
      const p = current();
      const api = (path: string, body: unknown) =>
        fetch(`${stack.apiUrl}/v1${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${stack.apiToken}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const created = await api("/templates", {
        id: "e2e-one-at-a-time",
        name: "One at a time",
        steps: [{ id: "wait", agent: "echo", input: { value: "x", delayMs: 60_000, progress: 10 } }],
        concurrency: { limit: 1 },
      });
      assert.equal(created.status, 201, await created.text());
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const started = await api("/executions", { template: "e2e-one-at-a-time", params: {} });
        ids.push(((await started.json()) as { id: string }).id);
      }
      await visit("/queue", "Queue");
      const queued = (id: string) => p.locator("tr").filter({ hasText: id });
      await queued(ids[2] as string).getByRole("spinbutton").waitFor({ timeout: 20_000 });
      await queued(ids[2] as string).getByRole("spinbutton").fill("50");
      await queued(ids[2] as string).getByRole("button", { name: "Set" }).click();
      await p.getByText("Priority set to 50").waitFor();
      // The higher priority moves it to the front of the queue.
      await p.locator("tbody tr").filter({ hasText: ids[2] as string }).locator("td").first().getByText("1", { exact: true }).waitFor({ timeout: 10_000 });
      await shot("18 queue with waiting executions");
      await queued(ids[1] as string).getByRole("button", { name: "Remove" }).click();
      await p.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
      await queued(ids[1] as string).waitFor({ state: "detached", timeout: 15_000 });
      await p.getByRole("button", { name: "Emergency stop" }).click();
      const dialog = p.getByRole("dialog");
      const stop = dialog.getByRole("button", { name: "Stop everything" });
      assert.equal(await stop.isDisabled(), true, "stopping waits for the typed word");
      await dialog.getByLabel("Type STOP to confirm").fill("STOP");
      await stop.click();
      await p.getByText(/Cancelled \d+ execution/).waitFor();
      await p.getByText("Nothing is running").waitFor({ timeout: 20_000 });
      await p.getByText("Nothing waits").waitFor();
      await visit(`/executions/${ids[0]}`, "One at a time");
      await p.locator(".exec-title .status[data-status=cancelled]").waitFor({ timeout: 15_000 });
    }),

    test("an admin adds a viewer in Config; the viewer signs in read-only", async () => {
      const p = current();
      await visit("/config", "Config");
      const users = p.getByRole("region", { name: "Users" });
      await users.getByTestId("users-table").getByText(stack.email).waitFor();
      await users.getByLabel("Email").fill("e2e-viewer@example.com");
      await users.getByRole("button", { name: "Add user" }).click();
      const password = (await users.getByTestId("new-password").textContent({ timeout: 15_000 }))?.trim() ?? "";
      assert.match(password, /^bp_\S{20,}$/, "the new password is shown once");
      await users.locator("tr[data-email='e2e-viewer@example.com']").getByText("viewer", { exact: true }).waitFor();
      await shot("19 config users");

      await Promise.all([p.waitForURL((u) => u.pathname === "/sign-in", { timeout: 20_000 }), p.getByRole("button", { name: "Sign out" }).click()]);
      await p.fill("#email", "e2e-viewer@example.com");
      await p.fill("#password", password);
      await Promise.all([p.waitForURL((u) => u.pathname === "/", { timeout: 20_000 }), p.click("button[type=submit]")]);
      await p.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
      await p.getByText("viewer · read-only").waitFor();
      await visit("/pipelines", "Pipelines");
      await visit("/config", "Config");
      assert.equal(await p.getByRole("region", { name: "Users" }).count(), 0, "viewers are not offered user management");
      await shot("20 viewer config");
      // The gateway, not the UI, is what refuses: a change sent by hand is a 403.
      const refused = await p.request.post(url("/api/v1/executions"), {
        headers: { origin: stack.consoleUrl, "content-type": "application/json" },
        data: { template: "hello", params: { name: "x" } },
      });
      assert.equal(refused.status(), 403);
      assert.match(((await refused.json()) as { error: { message: string } }).error.message, /read-only/);
      assert.equal((await p.request.get(url("/api/v1/users"))).status(), 403);
      assert.equal((await p.request.get(url("/api/v1/stats"))).status(), 200);
    }),

    test("signing out ends the session", async () => {
      const p = current();
      await visit("/", "Dashboard");
      await Promise.all([p.waitForURL((u) => u.pathname === "/sign-in", { timeout: 20_000 }), p.getByRole("button", { name: "Sign out" }).click()]);
      await p.goto(url("/queue"));
      await p.waitForURL((u) => u.pathname === "/sign-in" && u.searchParams.get("next") === "/queue", { timeout: 20_000 });
      const api = await p.request.get(url("/api/v1/queue"));
      assert.equal(api.status(), 401, "after signing out the API refuses the browser");
    }),

    test("no script error happened in any page", async () => {
      assert.deepEqual(pageErrors, []);
    }),
  ];
  return { tests, page: () => page };
}
