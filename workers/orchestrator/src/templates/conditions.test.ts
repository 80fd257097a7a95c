/**
 * Proves how a step's `when` decides: truthiness of one reference, comparisons by deep JSON equality,
 * several comparisons together, and absent values counting as absent instead of failing the step.
 */
import { describe, expect, it } from "vitest";
import { evaluateCondition, isJsonEqual, isTruthy } from "./conditions.ts";
import type { ReferenceScope } from "./resolve.ts";

const scope: ReferenceScope = {
  params: { region: "eu", tiers: ["gold", "silver"], limit: 3, zero: 0 },
  steps: {
    review: { output: { approved: true, score: 3, tags: ["a", "b"], meta: { x: 1, y: [1, 2] }, empty: [], note: "" } },
    scan: { output: { flagged: false, text: "false" } },
  },
  execution: { id: "ex_1", templateId: "t" },
};

describe("evaluateCondition with one reference", () => {
  it.each([
    ["{{steps.review.output.approved}}", true],
    ["{{steps.scan.output.flagged}}", false],
    ["{{params.zero}}", false],
    ["{{params.limit}}", true],
    ["{{steps.review.output.note}}", false],
    ["{{steps.review.output.empty}}", false],
    ["{{steps.review.output.tags}}", true],
    ["{{steps.review.output.meta}}", true],
    ["{{steps.scan.output.text}}", true],
    ["{{steps.review.output.missing}}", false],
    ["{{steps.skipped.output}}", false],
  ])("%s is %s", (condition, expected) => {
    expect(evaluateCondition(condition, scope)).toBe(expected);
  });

  it("refuses text that is not exactly one reference", () => {
    expect(() => evaluateCondition("yes {{params.limit}}", scope)).toThrow(/exactly one \{\{reference\}\}/);
    expect(() => evaluateCondition("true", scope)).toThrow(/exactly one/);
  });
});

describe("evaluateCondition with comparisons", () => {
  it("compares with equals and notEquals", () => {
    expect(evaluateCondition({ value: "{{params.region}}", equals: "eu" }, scope)).toBe(true);
    expect(evaluateCondition({ value: "{{params.region}}", equals: "us" }, scope)).toBe(false);
    expect(evaluateCondition({ value: "{{params.region}}", notEquals: "us" }, scope)).toBe(true);
    expect(evaluateCondition({ value: "{{params.region}}", notEquals: "eu" }, scope)).toBe(false);
  });

  it("keeps types apart: 3 is not \"3\"", () => {
    expect(evaluateCondition({ value: "{{steps.review.output.score}}", equals: 3 }, scope)).toBe(true);
    expect(evaluateCondition({ value: "{{steps.review.output.score}}", equals: "3" }, scope)).toBe(false);
  });

  it("compares arrays and objects deeply", () => {
    expect(evaluateCondition({ value: "{{steps.review.output.tags}}", equals: ["a", "b"] }, scope)).toBe(true);
    expect(evaluateCondition({ value: "{{steps.review.output.tags}}", equals: ["b", "a"] }, scope)).toBe(false);
    expect(evaluateCondition({ value: "{{steps.review.output.meta}}", equals: { y: [1, 2], x: 1 } }, scope)).toBe(true);
  });

  it("checks membership with in", () => {
    expect(evaluateCondition({ value: "{{params.region}}", in: ["us", "eu"] }, scope)).toBe(true);
    expect(evaluateCondition({ value: "{{params.region}}", in: ["us"] }, scope)).toBe(false);
    expect(evaluateCondition({ value: "{{steps.review.output.meta}}", in: [{ x: 1, y: [1, 2] }] }, scope)).toBe(true);
  });

  it("requires every comparison given", () => {
    const condition = { value: "{{steps.review.output.score}}", in: [1, 2, 3], notEquals: 3 };
    expect(evaluateCondition(condition, scope)).toBe(false);
    expect(evaluateCondition({ ...condition, notEquals: 2 }, scope)).toBe(true);
  });

  it("falls back to truthiness when nothing is compared", () => {
    expect(evaluateCondition({ value: "{{steps.scan.output.flagged}}" }, scope)).toBe(false);
    expect(evaluateCondition({ value: "{{steps.review.output.approved}}" }, scope)).toBe(true);
  });

  it("compares with null as a value", () => {
    expect(evaluateCondition({ value: "{{params.region}}", equals: null }, scope)).toBe(false);
    expect(evaluateCondition({ value: "{{params.region}}", notEquals: null }, scope)).toBe(true);
  });

  it("treats an absent value as equal to nothing and in no list", () => {
    const value = "{{steps.skipped.output.kind}}";
    expect(evaluateCondition({ value, equals: null }, scope)).toBe(false);
    expect(evaluateCondition({ value, notEquals: "x" }, scope)).toBe(true);
    expect(evaluateCondition({ value, in: [null, ""] }, scope)).toBe(false);
  });

  it("resolves references in what it compares with", () => {
    expect(evaluateCondition({ value: "{{steps.review.output.score}}", equals: "{{params.limit}}" }, scope)).toBe(true);
    expect(evaluateCondition({ value: "{{params.region}}", in: ["{{params.region}}"] }, scope)).toBe(true);
    expect(() => evaluateCondition({ value: "{{params.region}}", equals: "{{params.nope}}" }, scope)).toThrow(
      /\{\{params\.nope\}\} \(at equals\) resolves to nothing/,
    );
  });
});

describe("isTruthy and isJsonEqual", () => {
  it("treat empty containers as false and everything else by JavaScript rules", () => {
    expect([undefined, null, false, 0, Number.NaN, "", [], {}].map(isTruthy)).toEqual(Array(8).fill(false));
    expect([true, 1, -1, "0", "false", [0], { a: null }].map(isTruthy)).toEqual(Array(7).fill(true));
  });

  it("compare JSON values structurally", () => {
    expect(isJsonEqual({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true);
    expect(isJsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(isJsonEqual({ a: 1, b: undefined }, { a: 1, c: undefined })).toBe(false);
    expect(isJsonEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(isJsonEqual(null, {})).toBe(false);
    expect(isJsonEqual("1", 1)).toBe(false);
  });
});
