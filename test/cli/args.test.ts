/**
 * Proves how `baton` reads its command line: commands and positionals, repeatable `--param k=v`, typed
 * flags, and usage errors for what it cannot read (which make it exit 2). Also the typing of params by
 * the template's specs and the detection of required params still missing.
 */
import { describe, expect, it } from "vitest";
import { expectPositionals, parseCliArgs, UsageError } from "../../scripts/baton/args.ts";
import { coerceParam, coerceParams, missingParams } from "../../scripts/baton/params.ts";

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
