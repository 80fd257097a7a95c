/** Self time per function from a V8 `.cpuprofile`, busiest first (pure: bench/profile.ts prints it). */

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTimeRow {
  name: string;
  where: string;
  ms: number;
}

export function selfTimes(profile: CpuProfile): { totalMs: number; rows: SelfTimeRow[] } {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const msByNode = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // Each sample's time is the delta to the next one (V8's convention); the last one gets none.
  for (let i = 0; i < samples.length; i++) {
    const ms = (deltas[i + 1] ?? 0) / 1000;
    msByNode.set(samples[i]!, (msByNode.get(samples[i]!) ?? 0) + ms);
  }
  const rows = new Map<string, SelfTimeRow>();
  let totalMs = 0;
  for (const [id, ms] of msByNode) {
    const frame = byNode.get(id)?.callFrame;
    if (!frame || frame.functionName === "(idle)") continue;
    totalMs += ms;
    const name = frame.functionName || "(anonymous)";
    const where = frame.url ? `${frame.url.replace(/^.*\/(?=[^/]+\/[^/]+$)/, "")}:${frame.lineNumber + 1}` : "";
    const key = `${name}|${where}`;
    const row = rows.get(key) ?? { name, where, ms: 0 };
    row.ms += ms;
    rows.set(key, row);
  }
  return { totalMs, rows: [...rows.values()].sort((a, b) => b.ms - a.ms) };
}
