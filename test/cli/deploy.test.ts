/**
 * Proves `npm run deploy`'s decisions and its flow without an account (this machine has none, and tests
 * never call Cloudflare): the database id written into wrangler.toml and nothing else changed, the
 * database reused when the account has it, which secrets are asked for, generated or refused, the order
 * agents → orchestrator → console, and that a second run against the same account creates nothing and
 * sets no secret. The account is a recording stand-in for wrangler's commands, so this does not prove
 * wrangler's real answers (the dry run in .ci/run builds the real bundles).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  deploySteps,
  findDatabaseId,
  generateSecret,
  PLACEHOLDER_DATABASE_ID,
  planDatabase,
  planSecrets,
  readDatabase,
  urlIn,
  withDatabaseId,
} from "../../scripts/deploy/plan.ts";
import { type DeployIo, deploy } from "../../scripts/deploy/steps.ts";
import type { Wrangler } from "../../scripts/deploy/wrangler-runner.ts";
import { repoRoot, workerConfigs } from "../../scripts/worker-configs.ts";

const ID = "2f1e8a9c-3b4d-4e5f-8a6b-7c8d9e0f1a2b";
const toml = readFileSync(join(repoRoot, "wrangler.toml"), "utf8");

describe("deploy planning", () => {
  it("reads the database and writes its id into wrangler.toml, changing nothing else", () => {
    expect(readDatabase(toml)).toEqual({ name: "baton", id: PLACEHOLDER_DATABASE_ID });
    const written = withDatabaseId(toml, ID);
    expect(readDatabase(written)).toEqual({ name: "baton", id: ID });
    expect(written.replace(ID, PLACEHOLDER_DATABASE_ID)).toBe(toml);
    expect(() => withDatabaseId(toml, "not-an-id")).toThrow(/not a D1 database id/);
  });

  it("reuses the account's database by name, and creates it otherwise", () => {
    const list = [{ uuid: "11111111-1111-4111-8111-111111111111", name: "other" }, { uuid: ID, name: "baton" }];
    expect(findDatabaseId(list, "baton")).toBe(ID);
    expect(planDatabase({ name: "baton", id: PLACEHOLDER_DATABASE_ID }, ID)).toEqual({ action: "reuse", id: ID, writeConfig: true });
    expect(planDatabase({ name: "baton", id: ID }, ID)).toEqual({ action: "reuse", id: ID, writeConfig: false });
    expect(planDatabase({ name: "baton", id: ID }, findDatabaseId([], "baton"))).toEqual({ action: "create", name: "baton" });
  });

  it("takes secrets from the environment, generates or asks for the rest, and keeps those set", () => {
    expect([...planSecrets([], { ADMIN_EMAIL: "ops@example.com" }, { generate: true, interactive: false })]).toEqual([
      ["ADMIN_EMAIL", "environment"],
      ["ADMIN_PASSWORD", "generate"],
      ["API_TOKEN", "generate"],
    ]);
    expect([...planSecrets(["API_TOKEN"], {}, { generate: false, interactive: true })]).toEqual([
      ["ADMIN_EMAIL", "ask"],
      ["ADMIN_PASSWORD", "ask"],
    ]);
    expect(planSecrets(["ADMIN_EMAIL", "ADMIN_PASSWORD", "API_TOKEN"], {}, { generate: false, interactive: false }).size).toBe(0);
    expect(() => planSecrets([], {}, { generate: true, interactive: false })).toThrow(/no ADMIN_EMAIL yet .* set ADMIN_EMAIL=…/);
  });

  it("generates strong secrets", () => {
    const [a, b] = [generateSecret("ADMIN_PASSWORD"), generateSecret("ADMIN_PASSWORD")];
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(generateSecret("API_TOKEN")).toMatch(/^bt_[\w-]{43}$/);
  });

  it("deploys every agent, then the orchestrator with its secrets, then the console", () => {
    const steps = deploySteps(workerConfigs(), "baton", "baton-console");
    const order = steps.map((s) => (s.kind === "worker" ? s.worker.label : s.kind));
    expect(order.slice(0, 2)).toEqual(["database", "migrations"]);
    expect(order.slice(-2)).toEqual(["orchestrator", "console"]);
    expect(order.slice(2, -2).sort()).toEqual(workerConfigs().slice(1).map((w) => w.label).sort());
    expect(steps.filter((s) => s.kind === "worker" && s.withSecrets)).toHaveLength(1);
  });

  it("finds the URLs in wrangler's output", () => {
    expect(urlIn("Uploaded orchestrator (3.1 sec)\n  https://orchestrator.acme.workers.dev\nCurrent Version ID: x", "workers.dev")).toBe("https://orchestrator.acme.workers.dev");
    expect(urlIn("✨ Deployment complete! Take a peek over at https://4f2a.baton-console.pages.dev", "pages.dev")).toBe("https://4f2a.baton-console.pages.dev");
  });
});

/** An account as wrangler's commands see it: databases, deployed Workers and their secrets, Pages projects. */
function standInAccount() {
  const account = { databases: [] as { uuid: string; name: string }[], workers: new Map<string, string[]>(), projects: new Set<string>(), commands: [] as string[] };
  const ok = (stdout = "") => ({ code: 0, stdout, output: stdout });
  const wrangler: Wrangler = {
    async run(args) {
      const config = args[args.indexOf("--config") + 1] ?? "";
      account.commands.push(args.filter((a) => !a.includes("/tmp/") && !a.includes(tmpdir())).join(" "));
      const [command, sub] = args;
      if (command === "whoami") return ok("You are logged in.");
      if (command === "d1" && sub === "list") return ok(JSON.stringify(account.databases));
      if (command === "d1" && sub === "create") {
        account.databases.push({ uuid: ID, name: args[2]! });
        return ok("Created your new D1 database.");
      }
      if (command === "d1") return ok("Migrations applied");
      if (command === "secret") {
        const secrets = account.workers.get(config);
        return secrets ? ok(JSON.stringify(secrets.map((name) => ({ name, type: "secret_text" })))) : { code: 1, stdout: "", output: "This Worker does not exist" };
      }
      if (command === "deploy") {
        const file = args.includes("--secrets-file") ? args[args.indexOf("--secrets-file") + 1]! : undefined;
        const added = file && existsSync(file) ? Object.keys(JSON.parse(readFileSync(file, "utf8"))) : [];
        account.workers.set(config, [...(account.workers.get(config) ?? []), ...added]);
        return ok(config === "wrangler.toml" ? "Uploaded orchestrator\n  https://orchestrator.acme.workers.dev\n" : "Uploaded");
      }
      if (command === "pages" && sub === "project") {
        if (account.projects.has(args[3]!)) return { code: 1, stdout: "", output: "A project with this name already exists." };
        account.projects.add(args[3]!);
        return ok("Created");
      }
      if (command === "pages") return ok("✨ Deployment complete! Take a peek over at https://4f2a.baton-console.pages.dev");
      return { code: 1, stdout: "", output: `unexpected: wrangler ${args.join(" ")}` };
    },
  };
  return { account, wrangler };
}

describe("deploy flow", () => {
  const steps = deploySteps(workerConfigs(), "baton", "baton-console");

  function io(wrangler: Wrangler, configPath: string, overrides: Partial<DeployIo> = {}): DeployIo {
    return { wrangler, configPath, say: () => {}, ask: undefined, env: { ADMIN_EMAIL: "ops@example.com" }, generateSecrets: true, buildConsole: async () => {}, ...overrides };
  }

  it("deploys everything once, and a second run creates nothing and sets no secret", async () => {
    const configPath = join(mkdtempSync(join(tmpdir(), "baton-deploy-test-")), "wrangler.toml");
    copyFileSync(join(repoRoot, "wrangler.toml"), configPath);
    const { account, wrangler } = standInAccount();

    const first = await deploy(io(wrangler, configPath), steps);
    expect(readDatabase(readFileSync(configPath, "utf8")).id).toBe(ID);
    expect(first.apiUrl).toBe("https://orchestrator.acme.workers.dev");
    expect(first.consoleUrl).toBe("https://4f2a.baton-console.pages.dev");
    expect([...first.secretsSet.keys()]).toEqual(["ADMIN_EMAIL", "ADMIN_PASSWORD", "API_TOKEN"]);
    expect(first.secretsSet.get("API_TOKEN")).toMatchObject({ generated: true, value: expect.stringMatching(/^bt_/) });
    expect(account.workers.get("wrangler.toml")).toEqual(["ADMIN_EMAIL", "ADMIN_PASSWORD", "API_TOKEN"]);
    const deploys = account.commands.filter((c) => c.startsWith("deploy") || c.startsWith("pages deploy"));
    expect(deploys.at(-2)).toMatch(/^deploy --config wrangler.toml --secrets-file/);
    expect(deploys.at(-1)).toMatch(/^pages deploy dist --project-name baton-console/);
    expect(deploys).toHaveLength(workerConfigs().length + 1);
    expect(account.commands.filter((c) => c.startsWith("d1 create"))).toHaveLength(1);

    account.commands.length = 0;
    const configBefore = readFileSync(configPath, "utf8");
    const second = await deploy(io(wrangler, configPath), steps);
    expect(readFileSync(configPath, "utf8")).toBe(configBefore);
    expect(second.secretsSet.size).toBe(0);
    expect(account.commands.filter((c) => c.startsWith("d1 create") || c.includes("--secrets-file"))).toEqual([]);
    expect(account.databases).toHaveLength(1);
  });

  it("deploys nothing when a secret can be had from nowhere", async () => {
    const configPath = join(mkdtempSync(join(tmpdir(), "baton-deploy-test-")), "wrangler.toml");
    copyFileSync(join(repoRoot, "wrangler.toml"), configPath);
    const { account, wrangler } = standInAccount();
    await expect(deploy(io(wrangler, configPath, { env: {}, generateSecrets: false }), steps)).rejects.toThrow(/ADMIN_EMAIL, ADMIN_PASSWORD, API_TOKEN/);
    expect(account.commands.filter((c) => c.startsWith("deploy") || c.startsWith("d1 create"))).toEqual([]);
  });
});

describe("deploy prompts", () => {
  it("asks again for an answer that will not do, and generates on Enter", async () => {
    const configPath = join(mkdtempSync(join(tmpdir(), "baton-deploy-test-")), "wrangler.toml");
    copyFileSync(join(repoRoot, "wrangler.toml"), configPath);
    const { wrangler } = standInAccount();
    const answers = ["not an email", "ops@example.com", "short", "", "bt_a-token-typed-by-hand-0123456789"];
    const asked: string[] = [];
    const said: string[] = [];
    const result = await deploy(
      {
        wrangler, configPath, env: {}, generateSecrets: false, buildConsole: async () => {},
        say: (line) => said.push(line),
        ask: async (question, hidden) => {
          asked.push(`${question}${hidden ? " (hidden)" : ""}`);
          return answers.shift()!;
        },
      },
      deploySteps(workerConfigs(), "baton", "baton-console"),
    );
    expect(asked.map((q) => q.split(" ")[0])).toEqual(["ADMIN_EMAIL", "ADMIN_EMAIL", "ADMIN_PASSWORD", "ADMIN_PASSWORD", "API_TOKEN"]);
    expect(asked[2]).toContain("(hidden)");
    expect(said.filter((line) => line.includes("must be"))).toHaveLength(2);
    expect(result.secretsSet.get("ADMIN_EMAIL")).toEqual({ value: "ops@example.com", generated: false });
    expect(result.secretsSet.get("ADMIN_PASSWORD")?.generated).toBe(true);
    expect(result.secretsSet.get("API_TOKEN")).toEqual({ value: "bt_a-token-typed-by-hand-0123456789", generated: false });
  });
});
