/**
 * The step graph of a template: each step's `needs` are the steps it waits for. Needs naming no step
 * are ignored here (validation reports them), and when an id is used twice its first step counts.
 */

export interface StepLinks {
  id: string;
  needs?: readonly string[] | undefined;
}

/** Steps by id, first occurrence winning, with needs cut down to steps that exist. */
function graphOf(steps: readonly StepLinks[]): Map<string, readonly string[]> {
  const ids = new Set(steps.map((step) => step.id));
  const graph = new Map<string, readonly string[]>();
  for (const step of steps) {
    if (!graph.has(step.id)) graph.set(step.id, (step.needs ?? []).filter((need) => ids.has(need)));
  }
  return graph;
}

/**
 * One cycle per knot of steps that wait on each other, in the direction work flows, first step again
 * at the end: `a needs c, b needs a, c needs b` gives `["a", "b", "c", "a"]`. A step that needs itself
 * is the cycle `["a", "a"]`. Empty when the graph is a DAG.
 */
export function findCycles(steps: readonly StepLinks[]): string[][] {
  const graph = graphOf(steps);
  const dependents = new Map<string, string[]>([...graph.keys()].map((id) => [id, []]));
  for (const [id, needs] of graph) for (const need of needs) dependents.get(need)?.push(id);
  const cycles: string[][] = [];
  for (const component of stronglyConnected(graph, dependents)) {
    const [start] = component;
    if (start === undefined) continue;
    if (component.length === 1 && !graph.get(start)?.includes(start)) continue;
    cycles.push(shortestCycleThrough(start, new Set(component), dependents));
  }
  return cycles;
}

/** Tarjan's algorithm; each component's ids come in template order. */
function stronglyConnected(graph: Map<string, readonly string[]>, next: Map<string, string[]>): string[][] {
  const order = [...graph.keys()];
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (id: string): void => {
    index.set(id, index.size);
    low.set(id, index.get(id) ?? 0);
    stack.push(id);
    onStack.add(id);
    for (const to of next.get(id) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(id, Math.min(low.get(id) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(id, Math.min(low.get(id) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(id) !== index.get(id)) return;
    const component = new Set<string>();
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member !== undefined) {
        onStack.delete(member);
        component.add(member);
      }
    } while (member !== undefined && member !== id);
    components.push(order.filter((step) => component.has(step)));
  };
  for (const id of order) if (!index.has(id)) visit(id);
  return components.sort((a, b) => order.indexOf(a[0] ?? "") - order.indexOf(b[0] ?? ""));
}

/** Breadth-first from `start` back to itself inside one component, so the reported cycle is short. */
function shortestCycleThrough(start: string, within: Set<string>, next: Map<string, string[]>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift() ?? start;
    for (const to of next.get(id) ?? []) {
      // A self-need is reported on its own; inside a larger knot, look for the cycle through the others.
      if (to === start && id === start && within.size > 1) continue;
      if (to === start) {
        const path = [start];
        for (let at: string | undefined = id; at !== undefined && at !== start; at = cameFrom.get(at)) {
          path.splice(1, 0, at);
        }
        return [...path, start];
      }
      if (within.has(to) && !cameFrom.has(to)) {
        cameFrom.set(to, id);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

/** For every step, all the steps it waits for directly or through others. */
export function upstreamOf(steps: readonly StepLinks[]): Map<string, Set<string>> {
  const graph = graphOf(steps);
  const upstream = new Map<string, Set<string>>();
  for (const id of graph.keys()) {
    const seen = new Set<string>();
    const pending = [...(graph.get(id) ?? [])];
    for (let need = pending.pop(); need !== undefined; need = pending.pop()) {
      if (seen.has(need)) continue;
      seen.add(need);
      pending.push(...(graph.get(need) ?? []));
    }
    upstream.set(id, seen);
  }
  return upstream;
}

/**
 * Step ids so that each comes after everything it needs; among steps that could go next, the one
 * written first in the template goes first. Null when the steps form a cycle.
 */
export function topologicalOrder(steps: readonly StepLinks[]): string[] | null {
  const graph = graphOf(steps);
  const placed = new Set<string>();
  const order: string[] = [];
  while (order.length < graph.size) {
    const ready = [...graph].find(([id, needs]) => !placed.has(id) && needs.every((need) => placed.has(need)));
    if (ready === undefined) return null;
    placed.add(ready[0]);
    order.push(ready[0]);
  }
  return order;
}
