/** Where each step of a pipeline sits in its graph: its depth (the longest chain of `needs` above it). */

export function stepDepths(steps: { id: string; needs?: string[] | undefined }[]): Map<string, number> {
  const needs = new Map(steps.map((s) => [s.id, s.needs ?? []]));
  const depths = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depths.get(id);
    if (known !== undefined) return known;
    // A cycle cannot be saved, but a drawing must never hang on one.
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const parents = (needs.get(id) ?? []).filter((p) => needs.has(p));
    const depth = parents.length === 0 ? 0 : 1 + Math.max(...parents.map(depthOf));
    visiting.delete(id);
    depths.set(id, depth);
    return depth;
  };
  for (const step of steps) depthOf(step.id);
  return depths;
}

/** The steps grouped into rows by depth, in template order within a row. */
export function stepRows<T extends { id: string }>(steps: T[], depths: Map<string, number>): T[][] {
  const rows: T[][] = [];
  for (const step of steps) {
    const depth = depths.get(step.id) ?? 0;
    (rows[depth] ??= []).push(step);
  }
  return rows.filter((row) => row !== undefined);
}
