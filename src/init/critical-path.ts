// The critical path of a boot (pure): the chain of tasks that boot-complete
// waited for. From the task that ended last, step back each time to the need
// that finished last — the one that held it up — until a task needed nothing.
// A task needs what its stage needs; a stage's hook needs the stage's tasks.
import type { BootTimeline, TaskSpan } from './boot-timeline';

interface Node {
  id: string;
  end: number;
  preds: string[];
}

/** Task ids (`stage/task`), first to last. */
export function criticalPath(t: BootTimeline): string[] {
  const nodes = new Map<string, Node>();
  const ran = (k: TaskSpan) => k.status !== 'skipped';
  const stages = new Map(t.stages.map((s) => [s.name, s]));

  // A need names a task (`stage/task`) or a stage: a stage stands for the
  // tasks of it that ran, or, when none did, for what it needed itself.
  const expand = (need: string, seen = new Set<string>()): string[] => {
    if (need.includes('/')) return [need];
    const s = stages.get(need);
    if (!s || seen.has(need)) return [];
    seen.add(need);
    const tasks = s.tasks.filter(ran).map((k) => `${s.name}/${k.name}`);
    return tasks.length > 0 ? tasks : s.needs.flatMap((n) => expand(n, seen));
  };

  for (const s of t.stages) {
    for (const k of s.tasks.filter(ran)) {
      const needs = k.needs.length > 0 ? k.needs : s.needs;
      nodes.set(`${s.name}/${k.name}`, { id: `${s.name}/${k.name}`, end: k.end ?? t.updated, preds: needs.flatMap((n) => expand(n)) });
    }
  }

  // The sink: the last task to end by boot-complete (or by now, if it never came).
  const complete = t.milestones.find((m) => m.name === 'boot-complete')?.uptime;
  const byEnd = [...nodes.values()].filter((n) => complete === undefined || n.end <= complete + 0.0005);
  let cur: Node | undefined = latest(byEnd);
  const path: string[] = [];
  const visited = new Set<string>();
  while (cur && !visited.has(cur.id)) {
    visited.add(cur.id);
    path.push(cur.id);
    cur = latest(cur.preds.map((p) => nodes.get(p)).filter((n): n is Node => n !== undefined));
  }
  return path.reverse();
}

/** The node that ended last; the first of equals, so the result is stable. */
function latest(nodes: Node[]): Node | undefined {
  return nodes.reduce<Node | undefined>((best, n) => (best === undefined || n.end > best.end ? n : best), undefined);
}
