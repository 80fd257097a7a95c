/**
 * The console's tables: one header row of column titles (a column may have a hidden title, such as the
 * row actions), one row per item, in the scrolling wrapper every table sits in. Views say what the
 * columns are and how a cell shows an item; the markup and its classes stay the same everywhere.
 */
import type { ComponentChildren } from "preact";

export interface Column<Row> {
  /** The column's title; `hidden` keeps it for screen readers only. */
  header: ComponentChildren;
  hidden?: boolean;
  cell(row: Row): ComponentChildren;
  /** Classes of the column's cells (e.g. `mono`, `row-actions`). */
  class?: string;
  /** A tooltip for the cell, such as the exact time behind "3 min ago". */
  title?(row: Row): string | undefined;
}

export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  rowClass,
  rowAttributes,
  compact,
  testId,
  label,
}: {
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey(row: Row): string;
  rowClass?(row: Row): string | undefined;
  /** More attributes of a row: a `data-*` that tests and scripts find it by, or a `title`. */
  rowAttributes?(row: Row): Record<string, string | undefined>;
  compact?: boolean;
  testId?: string;
  /** The table's accessible name, when no heading gives it one. */
  label?: string;
}) {
  return (
    <div class="table-wrap">
      <table class={compact ? "table table-compact" : "table"} data-testid={testId} aria-label={label}>
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col">
                {column.hidden ? <span class="visually-hidden">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} class={rowClass?.(row) || undefined} {...rowAttributes?.(row)}>
              {columns.map((column, i) => (
                <td key={i} class={column.class} title={column.title?.(row)}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
