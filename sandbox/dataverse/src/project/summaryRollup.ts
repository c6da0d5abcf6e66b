/**
 * What Project's scheduling engine does after an operation set: summary tasks take their effort and dates from
 * their children ("Summary tasks: effort, cost and dates roll up from children", create-wbs) and the project
 * takes its effort and dates from its tasks.
 */
import type { LocalDataverse } from '../dataverse';
import type { OperationContext } from '../pipeline/context';
import type { Attributes } from '../store/types';

interface Node {
  row: Attributes;
  children: Node[];
}

export function rollUpProject(dv: LocalDataverse, ctx: OperationContext, projectId: string): void {
  const tasks = dv.store.select('msdyn_projecttask', 't0."msdyn_project" = ?', [projectId]);
  const byId = new Map<string, Node>(tasks.map((r) => [r['msdyn_projecttaskid'] as string, { row: r, children: [] }]));
  const roots: Node[] = [];
  for (const node of byId.values()) {
    const parent = node.row['msdyn_parenttask'];
    const p = parent && typeof parent === 'object' ? byId.get(parent.id) : undefined;
    if (p) p.children.push(node);
    else roots.push(node);
  }
  const visit = (n: Node): { effort: number; start: string | null; end: string | null } => {
    if (n.children.length === 0) {
      if (n.row['msdyn_summary'] === true) dv.service.update(ctx, 'msdyn_projecttask', n.row['msdyn_projecttaskid'] as string, { msdyn_summary: false });
      return { effort: (n.row['msdyn_effort'] as number | null) ?? 0, start: n.row['msdyn_scheduledstart'] as string | null, end: n.row['msdyn_scheduledend'] as string | null };
    }
    const parts = n.children.map(visit);
    const agg = {
      effort: parts.reduce((s, p) => s + p.effort, 0),
      start: minOf(parts.map((p) => p.start)),
      end: maxOf(parts.map((p) => p.end)),
    };
    const changes: Attributes = {};
    if (n.row['msdyn_summary'] !== true) changes['msdyn_summary'] = true;
    if (n.row['msdyn_effort'] !== agg.effort) changes['msdyn_effort'] = agg.effort;
    if (agg.start && n.row['msdyn_scheduledstart'] !== agg.start) changes['msdyn_scheduledstart'] = agg.start;
    if (agg.end && n.row['msdyn_scheduledend'] !== agg.end) changes['msdyn_scheduledend'] = agg.end;
    if (Object.keys(changes).length) dv.service.update(ctx, 'msdyn_projecttask', n.row['msdyn_projecttaskid'] as string, changes);
    return agg;
  };
  const totals = roots.map(visit);
  const project = dv.store.get('msdyn_project', projectId);
  if (!project) return;
  const effort = totals.reduce((s, p) => s + p.effort, 0);
  const changes: Attributes = {};
  if (project['msdyn_effort'] !== effort) changes['msdyn_effort'] = effort;
  const start = minOf(totals.map((t) => t.start));
  const end = maxOf(totals.map((t) => t.end));
  if (start && project['msdyn_scheduledstart'] !== start) changes['msdyn_scheduledstart'] = start;
  if (end && project['msdyn_finish'] !== end) changes['msdyn_finish'] = end;
  if (Object.keys(changes).length) dv.service.update(ctx, 'msdyn_project', projectId, changes);
}

const minOf = (xs: (string | null)[]): string | null => xs.filter((x): x is string => !!x).sort()[0] ?? null;
const maxOf = (xs: (string | null)[]): string | null => xs.filter((x): x is string => !!x).sort().at(-1) ?? null;
