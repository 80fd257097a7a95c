/**
 * Many rows of one D1 table in one statement. The rows travel as one JSON parameter that SQLite's
 * `json_each` spreads out, so a flush costs one statement per table however many rows it carries (D1
 * binds at most 100 parameters per statement, which is 5 executions rows; one JSON text has no such cap).
 * Columns, their order and their encoding come from the drizzle schema, the one definition of each table.
 */
import { type Column, getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

export interface JsonInsert<Row> {
  /** The statement; its one parameter is a JSON array of `encodeRow` texts. */
  readonly sql: string;
  encodeRow(row: Row): string;
}

type ColumnKey<T extends SQLiteTable> = keyof T["$inferInsert"] & string;

export interface JsonInsertOptions<T extends SQLiteTable> {
  /** Upsert on these columns' unique key instead of a plain insert. */
  conflict?: ColumnKey<T>[];
  /** On conflict, these columns keep their stored value (the conflict columns always do). */
  keep?: ColumnKey<T>[];
  /** A row that is there already stays as it is (a line handed over twice is written once). */
  ignoreDuplicates?: boolean;
}

export function jsonInsert<T extends SQLiteTable>(table: T, options: JsonInsertOptions<T> = {}): JsonInsert<T["$inferInsert"]> {
  // An autoincrement key is the database's to assign.
  const columns = Object.entries(getTableColumns(table) as Record<string, Column>).filter(
    ([, column]) => !(column.primary && (column as Column & { autoIncrement?: boolean }).autoIncrement),
  );
  const names = columns.map(([, column]) => quote(column.name));
  const values = columns.map((_, index) => `value ->> ${index}`);
  let statement = `INSERT INTO ${quote(getTableName(table))} (${names.join(", ")}) SELECT ${values.join(", ")} FROM json_each(?) WHERE true`;
  if (options.ignoreDuplicates) {
    statement += " ON CONFLICT DO NOTHING";
  } else if (options.conflict) {
    const fixed = new Set<string>([...options.conflict, ...(options.keep ?? [])]);
    const target = options.conflict.map((key) => quote(columnNamed(columns, key)));
    const updates = columns.filter(([key]) => !fixed.has(key)).map(([, column]) => `${quote(column.name)} = excluded.${quote(column.name)}`);
    statement += ` ON CONFLICT (${target.join(", ")}) DO UPDATE SET ${updates.join(", ")}`;
  }
  return {
    sql: statement,
    encodeRow: (row) =>
      JSON.stringify(
        columns.map(([key, column]) => {
          const fallback = typeof column.default === "object" ? null : column.default;
          const value = (row as Record<string, unknown>)[key] ?? fallback ?? null;
          return value === null ? null : column.mapToDriverValue(value);
        }),
      ),
  };
}

function columnNamed(columns: [string, Column][], key: string): string {
  const found = columns.find(([name]) => name === key);
  if (!found) throw new Error(`no column ${key}`);
  return found[1].name;
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
