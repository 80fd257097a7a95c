/**
 * Proves how `baton` reads its command line: commands and positionals, repeatable `--param k=v`, typed
 * flags, and usage errors for what it cannot read (which make it exit 2). Also the typing of params by
 * the template's specs and the detection of required params still missing.
 */
import { describe, expect, it } from "vitest";
import { expectPositionals, parseCliArgs, UsageError } from "../../scripts/baton/args.ts";
import { coerceParam, coerceParams, missingParams } from "../../scripts/baton/params.ts";
import { resolveConnection, TOKEN_FLAG_WARNING } from "../../scripts/baton/connection.ts";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

describe("parseCliArgs", () => {
  it("reads the command, its arguments, params and flags", () => {
    const args = parseCliArgs(["run", "ebook", "--param", "theme=space", "-p", "pages=30", "-p", "note=a=b", "--watch", "--priority", "5", "--json"]);
    expect(args).toMatchObject({ command: "run", positionals: ["ebook"], watch: true, json: true, priority: 5 });
    expect(args.params).toEqual([["theme", "space"], ["pages", "30"], ["note", "a=b"]]);
    expect(parseCliArgs(["templates", "show", "hello", "--version", "2"])).toMatchObject({ command: "templates", positionals: ["show", "hello"], version: 2 });
    expect(parseCliArgs(["logs", "ex_1", "-f", "--level", "warn"])).toMatchObject({ follow: true, level: "warn" });
    expect(parseCliArgs([]).command).toBeUndefined();
    expect(parseCliArgs(["agents", "run", "echo", "--input", '{"value":1}', "-w"])).toMatchObject({ positionals: ["run", "echo"], input: '{"value":1}', watch: true });
    expect(parseCliArgs(["insights", "ebook", "--by", "theme", "--window", "30d"])).toMatchObject({ positionals: ["ebook"], by: "theme", window: "30d" });
  });

  it("refuses what it cannot read, as usage errors", () => {
    expect(() => parseCliArgs(["run", "x", "--param", "novalue"])).toThrow(UsageError);
    expect(() => parseCliArgs(["run", "x", "--frobnicate"])).toThrow(/frobnicate/);
    expect(() => parseCliArgs(["run", "x", "--priority", "high"])).toThrow(/--priority must be a whole number/);
    expect(() => parseCliArgs(["templates", "show", "x", "--version", "0"])).toThrow(UsageError);
    const args = parseCliArgs(["approve", "ex_1"]);
    expect(() => expectPositionals(args, ["execution-id", "step-id"], "baton approve <execution-id> <step-id>")).toThrow(/missing <step-id>/);
  });
});

describe("params", () => {
  it("types each value by its spec", () => {
    expect(coerceParam("pages", { type: "integer" }, "30")).toBe(30);
    expect(coerceParam("ratio", { type: "number" }, "0.5")).toBe(0.5);
    expect(coerceParam("draft", { type: "boolean" }, "yes")).toBe(true);
    expect(coerceParam("tags", { type: "array" }, '["a","b"]')).toEqual(["a", "b"]);
    expect(coerceParam("theme", { type: "string" }, "42")).toBe("42");
    expect(coerceParams(undefined, [["free", "text"]])).toEqual({ free: "text" });
  });

  it("names the param and what it expected when a value does not fit", () => {
    expect(() => coerceParam("pages", { type: "integer" }, "thirty")).toThrow('--param pages: expected a whole number, got "thirty".');
    expect(() => coerceParam("tags", { type: "array" }, '{"a":1}')).toThrow(/a JSON array/);
    expect(() => coerceParam("draft", { type: "boolean" }, "maybe")).toThrow(UsageError);
  });

  it("finds required params without a default that were not given", () => {
    const specs = { theme: { type: "string" as const, required: true }, pages: { type: "integer" as const, required: true, default: 30 }, note: { type: "string" as const } };
    expect(missingParams(specs, {}).map(([name]) => name)).toEqual(["theme"]);
    expect(missingParams(specs, { theme: "space" })).toEqual([]);
  });
});

describe("where the token comes from", () => {
  const dir = mkdtempSync(join(tmpdir(), "baton-cli-token-"));
  writeFileSync(join(dir, "token"), "bt_from_file\n", { mode: 0o600 });

  it("reads it from a file (flag or BATON_TOKEN_FILE) or BATON_TOKEN, without a warning", () => {
    expect(resolveConnection({ tokenFile: "token" }, {}, dir)).toMatchObject({ token: "bt_from_file", tokenSource: "--token-file token" });
    expect(resolveConnection({}, { BATON_TOKEN_FILE: join(dir, "token") }, dir)).toMatchObject({ token: "bt_from_file" });
    const fromEnv = resolveConnection({}, { BATON_TOKEN: "bt_env" }, dir);
    expect(fromEnv).toMatchObject({ token: "bt_env", tokenSource: "BATON_TOKEN" });
    expect(fromEnv.warning).toBeUndefined();
  });

  it("still takes --token, with a warning", () => {
    expect(resolveConnection({ token: "bt_flag" }, { BATON_TOKEN: "bt_env" }, dir)).toEqual({
      url: "http://localhost:8787",
      token: "bt_flag",
      tokenSource: "--token",
      warning: TOKEN_FLAG_WARNING,
    });
    expect(parseCliArgs(["status", "--token-file", "x"]).tokenFile).toBe("x");
  });

  it("refuses a missing or malformed token file as a usage error", () => {
    expect(() => resolveConnection({ tokenFile: "nope" }, {}, dir)).toThrow(UsageError);
    writeFileSync(join(dir, "two"), "bt_a bt_b");
    expect(() => resolveConnection({ tokenFile: "two" }, {}, dir)).toThrow(/one token and nothing else/);
  });
});
