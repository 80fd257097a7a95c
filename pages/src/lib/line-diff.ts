/**
 * A line diff (longest common subsequence) between two texts, folded to the changes and a few lines of
 * context around them: what the version history shows between two versions of a template.
 */

export type DiffLine =
  | { kind: "same" | "added" | "removed"; text: string; oldLine: number | null; newLine: number | null }
  | { kind: "fold"; count: number };

export function diffLines(before: string, after: string, context = 3): DiffLine[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const n = a.length;
  const m = b.length;
  // lengths[i][j]: the LCS of a[i..] and b[j..], in one flat array.
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? (lengths[(i + 1) * width + j + 1] as number) + 1
          : Math.max(lengths[(i + 1) * width + j] as number, lengths[i * width + j + 1] as number);
    }
  }
  const all: Extract<DiffLine, { text: string }>[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      all.push({ kind: "same", text: a[i] as string, oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (i < n && (j === m || (lengths[(i + 1) * width + j] as number) >= (lengths[i * width + j + 1] as number))) {
      // Removals first, as diffs read: the old line, then what replaced it.
      all.push({ kind: "removed", text: a[i] as string, oldLine: i + 1, newLine: null });
      i++;
    } else {
      all.push({ kind: "added", text: b[j] as string, oldLine: null, newLine: j + 1 });
      j++;
    }
  }
  const near = new Set<number>();
  all.forEach((line, index) => {
    if (line.kind === "same") return;
    for (let k = Math.max(0, index - context); k <= Math.min(all.length - 1, index + context); k++) near.add(k);
  });
  const folded: DiffLine[] = [];
  let hidden = 0;
  all.forEach((line, index) => {
    if (near.has(index)) {
      if (hidden > 0) folded.push({ kind: "fold", count: hidden });
      hidden = 0;
      folded.push(line);
    } else hidden++;
  });
  if (hidden > 0) folded.push({ kind: "fold", count: hidden });
  return folded;
}
