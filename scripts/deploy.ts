/**
 * `npm run deploy`: Baton onto the Cloudflare account wrangler is signed in to, in one command that can be
 * run again safely (docs/deploy.md). `npm run deploy -- --dry-run` builds every bundle and the config a
 * deploy would upload, with no account and no network, and prints the plan.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { parseArgs, stripVTControlCharacters } from "node:util";
import { consoleBuild, consoleFunctionsBundle, runBuilds, workerBundle } from "./deploy/bundles.ts";
import { deploySteps, readDatabase, readProjectName, REQUIRED_SECRETS, secretProblem, type DeployStep } from "./deploy/plan.ts";
import { DeployError, deploy } from "./deploy/steps.ts";
import { realWrangler } from "./deploy/wrangler-runner.ts";
import { runCommand } from "./run-command.ts";
import { repoRoot, workerConfigs } from "./worker-configs.ts";

const usage = `Usage: npm run deploy -- [--dry-run [--outdir DIR]] [--generate-secrets]
  --dry-run           build every bundle and the config a deploy uploads, with no account (default
                      output .wrangler/deploy-dry-run); print the plan
  --generate-secrets  generate ADMIN_PASSWORD and API_TOKEN when the orchestrator has none, without asking
Secrets can also come from the environment: ADMIN_EMAIL=… ADMIN_PASSWORD=… API_TOKEN=… npm run deploy.
The account: CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID, or \`npx wrangler login\` (docs/deploy.md).`;

const say = (line: string) => console.log(`[deploy] ${line}`);

function describeStep(step: DeployStep): string {
  switch (step.kind) {
    case "database":
      return `create the D1 database "${step.name}", or reuse the account's, and write its id into wrangler.toml`;
    case "migrations":
      return `apply the D1 migrations to "${step.database}" --remote (${readdirSync(join(repoRoot, "migrations")).filter((f) => f.endsWith(".sql")).length} files; applied ones are skipped)`;
    case "worker":
      return `deploy ${step.worker.label} (${step.worker.configPath})${step.withSecrets ? `, with whichever of ${REQUIRED_SECRETS.join(", ")} it lacks` : ""}`;
    case "console":
      return `build the console and deploy it to the Pages project "${step.project}" (service binding GATEWAY → orchestrator)`;
  }
}

async function dryRun(steps: DeployStep[], outdir: string): Promise<number> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const workers = workerConfigs();
  console.log(`Building what the deploy uploads, into ${outdir}:`);
  const failures = await runBuilds([...workers.map((worker) => workerBundle(worker, outdir)), consoleBuild(), consoleFunctionsBundle(outdir)]);
  for (const failure of failures) console.error(`\n--- ${failure.what} failed:\n${stripVTControlCharacters(failure.output).trim()}`);
  if (failures.length > 0) return 1;
  const toml = readFileSync(join(repoRoot, "wrangler.toml"), "utf8");
  writeFileSync(join(outdir, "wrangler.toml"), toml);
  const plan = steps.map((step, i) => `${i + 1}. ${describeStep(step)}`);
  writeFileSync(join(outdir, "plan.txt"), `${plan.join("\n")}\n`);
  const { name, id } = readDatabase(toml);
  console.log(`\nThe deploy would (after \`wrangler whoami\` finds the account):\n${plan.map((line) => `  ${line}`).join("\n")}`);
  console.log(`\nD1 "${name}": wrangler.toml names ${id.startsWith("00000000") ? "no database yet (the placeholder id)" : `database ${id}`}.`);
  console.log(`Dry run done: ${workers.length} Worker bundles, the console and its Functions built; nothing was sent anywhere.`);
  return 0;
}

/** A question on the terminal; `hidden` answers are not echoed. */
async function ask(question: string, hidden: boolean): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const readline = createInterface({ input: process.stdin, output, terminal: true });
  try {
    process.stdout.write(question);
    muted = hidden;
    const answer = await readline.question("");
    if (hidden) process.stdout.write("\n");
    return answer;
  } finally {
    readline.close();
  }
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { "dry-run": { type: "boolean" }, outdir: { type: "string" }, "generate-secrets": { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const project = readProjectName(readFileSync(join(repoRoot, "pages/wrangler.toml"), "utf8"));
  const steps = deploySteps(workerConfigs(), readDatabase(readFileSync(join(repoRoot, "wrangler.toml"), "utf8")).name, project);
  if (values["dry-run"]) return dryRun(steps, resolve(repoRoot, values.outdir ?? ".wrangler/deploy-dry-run"));

  for (const name of REQUIRED_SECRETS) {
    const value = process.env[name];
    const problem = value ? secretProblem(name, value) : undefined;
    if (problem) {
      console.error(`${name} from the environment must be ${problem}.`);
      return 2;
    }
  }
  try {
    const result = await deploy(
      {
        wrangler: realWrangler(),
        configPath: join(repoRoot, "wrangler.toml"),
        say,
        ask: process.stdin.isTTY && process.stdout.isTTY ? ask : undefined,
        env: process.env,
        generateSecrets: values["generate-secrets"] === true,
        buildConsole: async () => {
          const built = await runCommand(join(repoRoot, "node_modules/.bin/vite"), ["build", "--config", "pages/vite.config.ts", "--logLevel", "warn"], { cwd: repoRoot });
          if (built.code !== 0) throw new DeployError(`building the console failed:\n${built.output}`);
        },
      },
      steps,
    );
    const secret = (name: (typeof REQUIRED_SECRETS)[number], fallback: string) => {
      const set = result.secretsSet.get(name);
      return set?.generated ? set.value : set ? `${fallback} (as you gave it)` : `${fallback} (set earlier; unchanged)`;
    };
    console.log(
      [
        "",
        "  Baton is deployed.",
        "",
        `  API        ${result.apiUrl ? `${result.apiUrl}/v1` : "the orchestrator's workers.dev URL (see wrangler's output above)"}`,
        `  Console    ${result.consoleUrl ?? `https://${project}.pages.dev`}`,
        `  Sign in    ${result.secretsSet.get("ADMIN_EMAIL")?.value ?? "ADMIN_EMAIL"} / ${secret("ADMIN_PASSWORD", "ADMIN_PASSWORD")}`,
        `  API token  ${secret("API_TOKEN", "API_TOKEN")}`,
        "",
        ...(result.secretsSet.size > 0 && [...result.secretsSet.values()].some((s) => s.generated)
          ? ["  Generated secrets are shown this once: keep them in your password manager.", ""]
          : []),
      ].join("\n"),
    );
    return 0;
  } catch (error) {
    console.error(`[deploy] ${error instanceof Error ? error.message : String(error)}`);
    console.error("[deploy] Everything before this step stays deployed; fix the cause and run npm run deploy again (it skips what is done).");
    return 1;
  }
}

process.exit(await main());
