/**
 * Proves the cron dialect of `schedule.cron`: what parses (and into which values), the messages for
 * what does not, matching a minute in UTC, and the next firing time across hours, days, months, years
 * and leap days. Does not prove the scheduler that calls these.
 */
import { describe, expect, it } from "vitest";
import { type CronSchedule, cronMatches, nextCronTime, parseCron } from "./cron-expression.ts";

function parsed(expression: string): CronSchedule {
  const result = parseCron(expression);
  if (!result.ok) throw new Error(`expected "${expression}" to parse: ${result.error}`);
  return result.cron;
}

const sorted = (values: ReadonlySet<number>): number[] => [...values].sort((a, b) => a - b);

function next(expression: string, after: string): string | undefined {
  return nextCronTime(parsed(expression), new Date(after))?.toISOString();
}

describe("parseCron", () => {
  it("expands wildcards, lists, ranges and steps", () => {
    const cron = parsed("*/15 9-17/4 1,15,31 * *");
    expect(sorted(cron.minutes)).toEqual([0, 15, 30, 45]);
    expect(sorted(cron.hours)).toEqual([9, 13, 17]);
    expect(sorted(cron.daysOfMonth)).toEqual([1, 15, 31]);
    expect(cron.months.size).toBe(12);
    expect(cron.daysOfWeek.size).toBe(7);
  });

  it("reads a/n as from a to the end of the field", () => {
    expect(sorted(parsed("50/3 * * * *").minutes)).toEqual([50, 53, 56, 59]);
  });

  it("reads month and weekday names in any case", () => {
    const cron = parsed("0 0 * jan,Mar-MAY mon-fri");
    expect(sorted(cron.months)).toEqual([1, 3, 4, 5]);
    expect(sorted(cron.daysOfWeek)).toEqual([1, 2, 3, 4, 5]);
  });

  it("takes 0 and 7 as Sunday", () => {
    expect(sorted(parsed("0 0 * * 7").daysOfWeek)).toEqual([0]);
    expect(sorted(parsed("0 0 * * 5-7").daysOfWeek)).toEqual([0, 5, 6]);
    expect(sorted(parsed("0 0 * * SUN").daysOfWeek)).toEqual([0]);
  });

  it("tolerates extra spaces", () => {
    expect(parseCron("  0   *  * * *  ").ok).toBe(true);
  });

  it.each([
    ["* * * *", /expected 5 fields .* got 4/],
    ["* * * * * *", /expected 5 fields .* got 6/],
    ["", /expected 5 fields/],
    ["60 * * * *", /^minute field "60": "60" is not a number 0-59/],
    ["0 24 * * *", /^hour field "24": "24" is not a number 0-23/],
    ["0 0 0 * *", /^day-of-month field "0": "0" is not a number 1-31/],
    ["0 0 32 * *", /^day-of-month field "32"/],
    ["0 0 * 13 *", /^month field "13": "13" is not a number 1-12 or a name JAN-DEC/],
    ["0 0 * FOO *", /^month field "FOO"/],
    ["0 0 * * 8", /^day-of-week field "8": "8" is not a number 0-7 or a name SUN-SAT/],
    ["0 0 * * FRI-MON", /^day-of-week field "FRI-MON": the range "FRI-MON" runs backwards/],
    ["*/0 * * * *", /^minute field "\*\/0": the step in "\*\/0" must be a whole number of 1 or more/],
    ["*/x * * * *", /step .* must be a whole number/],
    ["1,,2 * * * *", /^minute field "1,,2": has an empty list item/],
    ["1-2-3 * * * *", /"1-2-3" is not a range/],
    ["*/2/3 * * * *", /more than one "\/"/],
    ["-5 * * * *", /"" is not a number 0-59/],
    ["1.5 * * * *", /"1.5" is not a number/],
    ["0 0 30 FEB *", /never fires: FEB has no day 30/],
    ["0 0 31 4,6 *", /never fires: APR, JUN have no day 31/],
  ])("rejects %j", (expression, error) => {
    const result = parseCron(expression);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(error);
  });

  it("accepts schedules that fire only sometimes", () => {
    expect(parseCron("0 0 29 FEB *").ok).toBe(true);
    expect(parseCron("0 0 31 2 MON").ok).toBe(true);
  });
});

describe("cronMatches", () => {
  it("matches the UTC minute, ignoring seconds", () => {
    const cron = parsed("30 14 * * *");
    expect(cronMatches(cron, new Date("2025-06-01T14:30:59Z"))).toBe(true);
    expect(cronMatches(cron, new Date("2025-06-01T14:31:00Z"))).toBe(false);
    expect(cronMatches(cron, new Date("2025-06-01T16:30:00+02:00"))).toBe(true);
  });

  it("needs both day fields when one of them is a wildcard", () => {
    const cron = parsed("0 0 * * MON");
    expect(cronMatches(cron, new Date("2025-06-02T00:00:00Z"))).toBe(true); // a Monday
    expect(cronMatches(cron, new Date("2025-06-03T00:00:00Z"))).toBe(false);
  });

  it("takes either day field when both are restricted", () => {
    const cron = parsed("0 0 13 * FRI");
    expect(cronMatches(cron, new Date("2025-06-13T00:00:00Z"))).toBe(true); // a Friday the 13th
    expect(cronMatches(cron, new Date("2025-07-13T00:00:00Z"))).toBe(true); // a Sunday
    expect(cronMatches(cron, new Date("2025-07-04T00:00:00Z"))).toBe(true); // a Friday
    expect(cronMatches(cron, new Date("2025-07-05T00:00:00Z"))).toBe(false);
  });

  it("counts a day field starting with * as unrestricted, as Vixie cron does", () => {
    const cron = parsed("0 0 */2 * MON");
    expect(cronMatches(cron, new Date("2025-06-02T00:00:00Z"))).toBe(false); // Monday the 2nd
    expect(cronMatches(cron, new Date("2025-06-09T00:00:00Z"))).toBe(true); // Monday the 9th
    expect(cronMatches(cron, new Date("2025-06-11T00:00:00Z"))).toBe(false); // Wednesday the 11th
  });
});

describe("nextCronTime", () => {
  it("is strictly after the given time", () => {
    expect(next("0 * * * *", "2025-03-01T10:00:00Z")).toBe("2025-03-01T11:00:00.000Z");
    expect(next("* * * * *", "2025-03-01T10:00:00Z")).toBe("2025-03-01T10:01:00.000Z");
    expect(next("* * * * *", "2025-03-01T10:00:59.999Z")).toBe("2025-03-01T10:01:00.000Z");
  });

  it("finds the next minute in the same hour", () => {
    expect(next("*/15 * * * *", "2025-03-01T10:07:30Z")).toBe("2025-03-01T10:15:00.000Z");
  });

  it("rolls over hours, days, months and years", () => {
    expect(next("5 9 * * *", "2025-03-01T10:00:00Z")).toBe("2025-03-02T09:05:00.000Z");
    expect(next("0 0 1 * *", "2025-03-15T00:00:00Z")).toBe("2025-04-01T00:00:00.000Z");
    expect(next("0 0 1 1 *", "2025-03-15T00:00:00Z")).toBe("2026-01-01T00:00:00.000Z");
    expect(next("59 23 31 12 *", "2025-12-31T23:59:00Z")).toBe("2026-12-31T23:59:00.000Z");
  });

  it("skips months that lack the day", () => {
    expect(next("0 0 31 * *", "2025-04-01T00:00:00Z")).toBe("2025-05-31T00:00:00.000Z");
  });

  it("finds weekdays", () => {
    expect(next("0 9 * * MON-FRI", "2025-06-06T10:00:00Z")).toBe("2025-06-09T09:00:00.000Z"); // Fri → Mon
  });

  it("finds the next leap day", () => {
    expect(next("0 0 29 2 *", "2025-01-01T00:00:00Z")).toBe("2028-02-29T00:00:00.000Z");
    expect(next("0 0 29 2 *", "2096-03-01T00:00:00Z")).toBe("2104-02-29T00:00:00.000Z");
  });

  it("finds a leap day on a given weekday decades away", () => {
    expect(next("0 0 29 2 */7", "2005-01-01T00:00:00Z")).toBe("2032-02-29T00:00:00.000Z"); // a Sunday
  });

  it("agrees with cronMatches minute by minute", () => {
    const cron = parsed("*/7 */5 1-10 * WED");
    let time = new Date("2025-01-01T00:00:00Z");
    for (let i = 0; i < 30; i++) {
      const found = nextCronTime(cron, time);
      if (found === null) throw new Error("expected a next time");
      expect(cronMatches(cron, found)).toBe(true);
      let skippedMatch: string | null = null;
      for (let minute = time.getTime() + 60_000; minute < found.getTime(); minute += 60_000) {
        if (cronMatches(cron, new Date(minute))) skippedMatch ??= new Date(minute).toISOString();
      }
      expect(skippedMatch).toBeNull();
      time = found;
    }
  });
});
