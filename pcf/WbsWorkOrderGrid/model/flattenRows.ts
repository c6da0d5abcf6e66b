/**
 * The tree as the list of rows on screen, in order, with the ARIA treegrid facts of each row (level, position in its
 * set, set size, expanded). Only expanded branches contribute rows, so the list stays proportional to what is visible.
 *
 * Filtering keeps a task when it matches itself, when a descendant matches (shown as context, so the WBS path stays
 * readable), or when an ancestor matched the search text (its branch is shown). A leaf whose work orders match the
 * search text opens to show them.
 */
import type { TreeNode, WbsTree } from './buildTree';
import { isFilterActive, needleOf, statusMatches, textMatches, workOrderMatches, type GridFilter } from './filter';
import type { RelatedData, RoleNeed, TaskRecord, TaskSyncInfo, WorkOrderInfo } from './types';

interface RowBase {
  readonly key: string;
  readonly id: string;
  /** aria-level: 1 for top-level rows. */
  readonly level: number;
  readonly posInSet: number;
  readonly setSize: number;
  readonly hasChildren: boolean;
  readonly expanded: boolean;
}

export interface ProjectRow extends RowBase {
  readonly kind: 'project';
  readonly name: string;
  readonly taskCount: number;
}

export interface TaskRow extends RowBase {
  readonly kind: 'task';
  readonly task: TaskRecord;
  readonly sync: TaskSyncInfo | undefined;
  readonly workOrders: readonly WorkOrderInfo[];
  readonly roles: readonly RoleNeed[];
  /** Shown only because something below it matches the filter. */
  readonly contextOnly: boolean;
}

export interface WorkOrderRow extends RowBase {
  readonly kind: 'workorder';
  readonly workOrder: WorkOrderInfo;
  readonly taskId: string;
}

export type GridRow = ProjectRow | TaskRow | WorkOrderRow;

/** Explicit expand/collapse choices by row id; rows without one use their default. */
export type Expansion = ReadonlyMap<string, boolean>;

export interface FlattenResult {
  readonly rows: readonly GridRow[];
  /** Tasks that pass the filter (all tasks when none is set). */
  readonly matchingTasks: number;
}

const NONE: readonly never[] = [];

/**
 * `all`: the last Expand all (true) / Collapse all (false), applied to rows without an explicit choice; null = defaults
 * (projects and summary tasks open, a leaf's work orders closed).
 */
export function flattenRows(tree: WbsTree, related: RelatedData, expansion: Expansion, filter: GridFilter, all: boolean | null = null): FlattenResult {
  const active = isFilterActive(filter);
  const needle = needleOf(filter);
  const rows: GridRow[] = [];
  let matchingTasks = 0;

  // Pass 1 (only when filtering): which nodes stay, and whether because they match themselves.
  const kept = new Map<string, boolean>(); // id → matches itself
  const visit = (node: TreeNode, textAbove: boolean): boolean => {
    if (node.kind === 'project') {
      let any = false;
      for (const c of node.children) any = visit(c, textAbove) || any;
      if (any) kept.set(node.id, false);
      return any;
    }
    const wos = related.workOrders.get(node.id);
    const text = textAbove || textMatches(needle, node.task, wos);
    const self = text && statusMatches(filter, node.task, related.syncs.get(node.id));
    const nameHit = needle !== '' && node.task.name.toLocaleLowerCase().includes(needle);
    let any = false;
    for (const c of node.children) any = visit(c, textAbove || nameHit) || any;
    if (self || any) kept.set(node.id, self);
    if (self) matchingTasks += 1;
    return self || any;
  };
  if (active) for (const r of tree.roots) visit(r, false);
  else matchingTasks = tree.taskCount;

  const isKept = (n: TreeNode): boolean => !active || kept.has(n.id);

  const expandedOf = (node: TreeNode, workOrders: readonly WorkOrderInfo[]): boolean => {
    const explicit = expansion.get(node.id);
    if (explicit !== undefined) return explicit;
    if (all !== null) return all;
    if (node.kind === 'project' || node.children.length > 0) return true;
    // A leaf opens by itself only to show work orders that match the search text.
    return active && needle !== '' && workOrders.some((wo) => workOrderMatches(needle, wo));
  };

  const emit = (siblings: readonly TreeNode[], level: number): void => {
    const visible = active ? siblings.filter(isKept) : siblings;
    const setSize = visible.length;
    visible.forEach((node, i) => {
      if (node.kind === 'project') {
        const expanded = expandedOf(node, NONE);
        rows.push({ kind: 'project', key: `p:${node.id}`, id: node.id, level, posInSet: i + 1, setSize, hasChildren: node.children.length > 0, expanded, name: node.name, taskCount: node.taskCount });
        if (expanded) emit(node.children, level + 1);
        return;
      }
      const workOrders = related.workOrders.get(node.id) ?? NONE;
      const isLeaf = node.children.length === 0;
      const hasChildren = isLeaf ? workOrders.length > 0 : true;
      const expanded = hasChildren && expandedOf(node, workOrders);
      rows.push({
        kind: 'task',
        key: `t:${node.id}`,
        id: node.id,
        level,
        posInSet: i + 1,
        setSize,
        hasChildren,
        expanded,
        task: node.task,
        sync: related.syncs.get(node.id),
        workOrders,
        roles: related.roles.get(node.id) ?? NONE,
        contextOnly: active && kept.get(node.id) === false,
      });
      if (!expanded) return;
      if (isLeaf) {
        workOrders.forEach((wo, j) =>
          rows.push({ kind: 'workorder', key: `w:${wo.id}`, id: wo.id, level: level + 1, posInSet: j + 1, setSize: workOrders.length, hasChildren: false, expanded: false, workOrder: wo, taskId: node.id }),
        );
      } else {
        emit(node.children, level + 1);
      }
    });
  };
  emit(tree.roots, 1);
  return { rows, matchingTasks };
}

/** Index of the row's parent row (for Left arrow), or -1 at the top level. */
export function parentRowIndex(rows: readonly GridRow[], index: number): number {
  const row = rows[index];
  if (!row) return -1;
  for (let i = index - 1; i >= 0; i -= 1) if ((rows[i] as GridRow).level < row.level) return i;
  return -1;
}
