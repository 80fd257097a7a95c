#!/usr/bin/env node
// The `baton` command (package.json "bin"). The CLI is TypeScript that Node runs directly (type
// stripping, Node >= 22.18); an older Node (the system's, when npx picks it) hands over to the Node
// this repository pins in node_modules/.bin.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, "main.ts");
const [major, minor] = process.versions.node.split(".").map(Number);
const stripsTypes = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);

if (stripsTypes) {
  await import(main);
} else {
  const pinned = join(here, "../../node_modules/.bin/node");
  if (!existsSync(pinned)) {
    console.error(`baton needs Node 22.18 or newer (this is ${process.version}); run \`npm install\` in the repository first.`);
    process.exit(2);
  }
  const { status, signal } = spawnSync(pinned, [main, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(status ?? (signal ? 128 : 1));
}
