/**
 * Plain-text tables for the terminal, and a generic rendering of any JSON answer as tables (for answers
 * whose shape the CLI does not know in detail, such as the queue or usage reports). Pure.
 */
import { stripVTControlCharacters } from "node:util";

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  align?: "left" | "right";
}

const width = (text: string) => stripVTControlCharacters(text).length;

function pad(text: string, size: number, align: "left" | "right" = "left"): string {
  const fill = " ".repeat(Math.max(0, size - width(text)));
  return align === "right" ? fill + text : text + fill;
}

export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, i) => Math.max(width(column.header), ...cells.map((r) => width(r[i] ?? ""))));
  const line = (values: string[]) =>
    values
      .map((value, i) => pad(value, widths[i] ?? 0, columns[i]?.align))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join("\n");
}

/** A scalar as a table cell: dates for epoch-ms fields, "-" for null. */
export function cell(value: unknown, key = ""): string {
  if (value === null || value === undefined) return "-";
  if (typeof value === "number" && /At$|^since$|^until$/.test(key) && value > 1e12) return new Date(value).toISOString().replace(".000Z", "Z");
  if (typeof value === "number" && /usd$/i.test(key)) return `$${value.toFixed(4)}`;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== "object";
}

/**
 * Any JSON answer as text: each array of objects becomes a titled table (its scalar fields as columns),
 * each object a block of `key: value` lines, nested in order.
 */
export function renderJson(value: unknown, title = ""): string {
  if (Array.isArray(value)) {
    const heading = title ? `${title} (${value.length})\n` : "";
    if (value.length === 0) return `${heading}  (none)`;
    if (value.every((v) => v && typeof v === "object" && !Array.isArray(v))) {
      const rows = value as Record<string, unknown>[];
      const keys = [...new Set(rows.flatMap((row) => Object.keys(row).filter((k) => isScalar(row[k]))))];
      return heading + renderTable(rows, keys.map((key) => ({ header: key, value: (row: Record<string, unknown>) => cell(row[key], key) })));
    }
    return heading + value.map((v) => cell(v)).join("\n");
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    const scalars = entries.filter(([, v]) => isScalar(v)).map(([k, v]) => `${title ? `${title}.` : ""}${k}: ${cell(v, k)}`);
    const nested = entries.filter(([, v]) => !isScalar(v)).map(([k, v]) => renderJson(v, title ? `${title}.${k}` : k));
    return [scalars.join("\n"), ...nested].filter((part) => part !== "").join("\n\n");
  }
  return cell(value, title);
}
