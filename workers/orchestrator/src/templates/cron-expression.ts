/**
 * Standard 5-field cron (`minute hour day-of-month month day-of-week`) for `schedule.cron`, in UTC.
 *
 * Each field takes `*`, numbers, names (JAN-DEC, SUN-SAT, any case), ranges `a-b`, steps `*\/n`, `a-b/n`
 * and `a/n` (from a to the end), and comma lists of those. Day-of-week 0 and 7 are both Sunday.
 * Day-of-month and day-of-week follow Vixie cron: when both are restricted a day matches if either
 * does; a field that starts with `*` (also `*\/2`) counts as unrestricted. Ranges do not wrap
 * (`FRI-MON` is an error). An expression that can never fire (`0 0 30 FEB *`) is rejected.
 */

export interface CronSchedule {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday. */
  daysOfWeek: ReadonlySet<number>;
  dayOfMonthRestricted: boolean;
  dayOfWeekRestricted: boolean;
}

export type CronParse = { ok: true; cron: CronSchedule } | { ok: false; error: string };

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  /** Names for the values from `min` on, in order. */
  names?: readonly string[];
}

const monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const minuteField: FieldSpec = { name: "minute", min: 0, max: 59 };
const hourField: FieldSpec = { name: "hour", min: 0, max: 23 };
const dayOfMonthField: FieldSpec = { name: "day-of-month", min: 1, max: 31 };
const monthField: FieldSpec = { name: "month", min: 1, max: 12, names: monthNames };
const dayOfWeekField: FieldSpec = {
  name: "day-of-week",
  min: 0,
  max: 7,
  names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
};
/** February counts 29 days: a schedule on the 29th fires in leap years. */
const longestMonthDays = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A bad field; its message already names the field and what was written. */
class CronFieldError extends Error {}

export function parseCron(expression: string): CronParse {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) {
    return {
      ok: false,
      error: `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}: "${expression}"`,
    };
  }
  const [minute = "", hour = "", dayOfMonth = "", month = "", dayOfWeek = ""] = parts;
  let cron: CronSchedule;
  try {
    cron = {
      minutes: parseField(minute, minuteField),
      hours: parseField(hour, hourField),
      daysOfMonth: parseField(dayOfMonth, dayOfMonthField),
      months: parseField(month, monthField),
      daysOfWeek: new Set([...parseField(dayOfWeek, dayOfWeekField)].map((day) => day % 7)),
      dayOfMonthRestricted: !dayOfMonth.startsWith("*"),
      dayOfWeekRestricted: !dayOfWeek.startsWith("*"),
    };
  } catch (error) {
    if (error instanceof CronFieldError) return { ok: false, error: error.message };
    throw error;
  }
  const never = neverFires(cron);
  return never === null ? { ok: true, cron } : { ok: false, error: never };
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  function fail(why: string): never {
    throw new CronFieldError(`${spec.name} field "${text}": ${why}`);
  }
  const values = new Set<number>();
  for (const item of text.split(",")) {
    if (item === "") fail("has an empty list item");
    const [range = "", stepText, ...extra] = item.split("/");
    if (extra.length > 0) fail(`"${item}" has more than one "/"`);
    const step = stepText === undefined ? 1 : parseStep(stepText);
    if (step === null) fail(`the step in "${item}" must be a whole number of 1 or more`);
    let [from, to] = [spec.min, spec.max];
    if (range !== "*") {
      const [start = "", end, ...more] = range.split("-");
      if (more.length > 0) fail(`"${range}" is not a range; write start-end`);
      from = parseValue(start, spec) ?? fail(valueHint(start, spec));
      // A lone value is just itself, but `a/n` runs from a to the end of the field, as in Vixie cron.
      if (end !== undefined) to = parseValue(end, spec) ?? fail(valueHint(end, spec));
      else if (stepText === undefined) to = from;
      if (from > to) fail(`the range "${range}" runs backwards; ranges do not wrap around`);
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

function parseStep(text: string): number | null {
  const step = /^[0-9]+$/.test(text) ? Number(text) : 0;
  return step >= 1 ? step : null;
}

function parseValue(text: string, spec: FieldSpec): number | null {
  const nameIndex = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (nameIndex !== -1) return spec.min + nameIndex;
  const value = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  return value >= spec.min && value <= spec.max ? value : null;
}

function valueHint(text: string, spec: FieldSpec): string {
  const names = spec.names ? ` or a name ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : "";
  return `"${text}" is not a number ${spec.min}-${spec.max}${names}`;
}

/** Why the schedule can never fire, or null. Only day-of-month × month can make that happen. */
function neverFires(cron: CronSchedule): string | null {
  if (!cron.dayOfMonthRestricted || cron.dayOfWeekRestricted) return null;
  const firstDay = Math.min(...cron.daysOfMonth);
  const fits = [...cron.months].some((month) => firstDay <= (longestMonthDays[month - 1] ?? 31));
  if (fits) return null;
  const months = [...cron.months].map((month) => monthNames[month - 1]);
  const verb = months.length === 1 ? "has" : "have";
  return `the schedule never fires: ${months.join(", ")} ${verb} no day ${firstDay}; pick a day that exists`;
}

/** Whether the schedule fires in the UTC minute that contains `date`. */
export function cronMatches(cron: CronSchedule, date: Date): boolean {
  return (
    cron.minutes.has(date.getUTCMinutes()) &&
    cron.hours.has(date.getUTCHours()) &&
    cron.months.has(date.getUTCMonth() + 1) &&
    dayMatches(cron, date)
  );
}

function dayMatches(cron: CronSchedule, date: Date): boolean {
  const byMonthDay = cron.daysOfMonth.has(date.getUTCDate());
  const byWeekDay = cron.daysOfWeek.has(date.getUTCDay());
  if (cron.dayOfMonthRestricted && cron.dayOfWeekRestricted) return byMonthDay || byWeekDay;
  return byMonthDay && byWeekDay;
}

/** A leap day on a restricted weekday can be 28 years away; nothing that parses is further. */
const SEARCH_YEARS = 30;
const MINUTE_MS = 60_000;

/** The first whole UTC minute strictly after `after` at which the schedule fires (null: never, in practice). */
export function nextCronTime(cron: CronSchedule, after: Date): Date | null {
  let time = Math.floor(after.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const limit = Date.UTC(after.getUTCFullYear() + SEARCH_YEARS, 0, 1);
  while (time < limit) {
    const date = new Date(time);
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()];
    const hour = date.getUTCHours();
    if (!cron.months.has(month + 1)) time = Date.UTC(year, month + 1, 1);
    else if (!dayMatches(cron, date)) time = Date.UTC(year, month, day + 1);
    else if (!cron.hours.has(hour)) time = Date.UTC(year, month, day, hour + 1);
    else if (!cron.minutes.has(date.getUTCMinutes())) time += MINUTE_MS;
    else return date;
  }
  return null;
}
