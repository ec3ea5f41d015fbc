// The stage graph (pure): which stages may start now, and what is wrong with
// a list — a need that names no stage, a name used twice, a cycle, a need
// listed after the stage that needs it. The boot list is checked by a unit
// test, so a boot never meets a bad graph (docs/architecture.md, "The boot").

export interface GraphNode {
  name: string;
  needs: readonly string[];
}

export interface GraphProblem {
  code: 'duplicate' | 'unknown-need' | 'cycle' | 'out-of-order';
  stage: string;
  message: string;
}

/** The stages not started yet whose needs have all ended, in list order. */
export function readyStages<S extends GraphNode>(stages: readonly S[], started: ReadonlySet<string>, ended: ReadonlySet<string>): S[] {
  return stages.filter((s) => !started.has(s.name) && s.needs.every((n) => ended.has(n)));
}

/** Everything wrong with `stages` as a graph; empty for a good list. */
export function checkStages(stages: readonly GraphNode[]): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const index = new Map<string, number>();
  for (const [i, s] of stages.entries()) {
    if (index.has(s.name)) problems.push({ code: 'duplicate', stage: s.name, message: `stage ${s.name} is listed twice` });
    else index.set(s.name, i);
  }
  for (const [i, s] of stages.entries()) {
    for (const need of s.needs) {
      const at = index.get(need);
      if (at === undefined) problems.push({ code: 'unknown-need', stage: s.name, message: `stage ${s.name} needs ${need}, which is no stage` });
      else if (at >= i && !cycleThrough(stages, s.name)) {
        problems.push({ code: 'out-of-order', stage: s.name, message: `stage ${s.name} needs ${need}, which is listed after it: list stages in the order of their needs` });
      }
    }
  }
  const reported = new Set<string>();
  for (const s of stages) {
    const cycle = cycleThrough(stages, s.name);
    if (!cycle || cycle.some((n) => reported.has(n))) continue;
    cycle.forEach((n) => reported.add(n));
    problems.push({ code: 'cycle', stage: s.name, message: `stages wait for each other: ${[...cycle, s.name].join(' → ')}` });
  }
  return problems;
}

/** A path of needs from `name` back to itself (`[name, …]`), or null. */
function cycleThrough(stages: readonly GraphNode[], name: string): string[] | null {
  const byName = new Map(stages.map((s) => [s.name, s]));
  const seen = new Set<string>();
  const walk = (at: string, path: string[]): string[] | null => {
    for (const need of byName.get(at)?.needs ?? []) {
      if (need === name) return path;
      if (seen.has(need)) continue;
      seen.add(need);
      const found = walk(need, [...path, need]);
      if (found) return found;
    }
    return null;
  };
  return walk(name, [name]);
}
