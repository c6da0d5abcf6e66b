/**
 * The WBS as a tree: tasks under their parent task (msdyn_parenttask), siblings in dataset order (the view's sort, or
 * the one the user chose). When the dataset holds tasks of several projects (a program view) each project becomes a
 * top-level group. A task whose parent is not in the dataset (a filtered view, or a page not loaded yet) shows at the
 * top of its project; bad data (a parent cycle) cannot hide tasks: every task is reachable.
 */
import type { TaskRecord } from './types';

export interface ProjectNode {
  readonly kind: 'project';
  readonly id: string;
  readonly name: string;
  readonly children: TaskNode[];
  readonly parent: null;
  /** Tasks in the project (at any level). */
  taskCount: number;
}

export interface TaskNode {
  readonly kind: 'task';
  readonly id: string;
  readonly task: TaskRecord;
  /** Shared (empty) until the first child is added: most tasks are leaves. */
  children: TaskNode[];
  parent: TaskNode | ProjectNode | null;
  /** Reached from the top (cycle check). */
  reached: boolean;
}

export type TreeNode = ProjectNode | TaskNode;

export interface WbsTree {
  readonly roots: readonly TreeNode[];
  /** The node of a task id (a map is built on first use). */
  task(id: string): TaskNode | undefined;
  readonly taskCount: number;
  /** True when the roots are project groups. */
  readonly grouped: boolean;
}

const NO_PROJECT = 'no-project';
const NO_CHILDREN: TaskNode[] = [];

function addChild(parent: TaskNode | ProjectNode, child: TaskNode): void {
  if (parent.children === NO_CHILDREN) (parent as TaskNode).children = [child];
  else parent.children.push(child);
}

/**
 * Built for large plans (25,000 tasks): in WBS order a task's parent is on the path to the task before it, so most
 * parents are found without a lookup and no cycle is possible; a map by id is built only for tasks whose parent is
 * not on that path (other sort orders), and only then are parent cycles looked for.
 */
export function buildTree(records: readonly TaskRecord[]): WbsTree {
  const n = records.length;
  const nodes: TaskNode[] = new Array<TaskNode>(n);
  const parentOf: (TaskNode | null)[] = new Array<TaskNode | null>(n).fill(null);
  const path: TaskNode[] = [];
  let pending: number[] | null = null;
  const firstProject = records[0]?.projectId ?? NO_PROJECT;
  let grouped = false;
  for (let i = 0; i < n; i += 1) {
    const task = records[i] as TaskRecord;
    const node: TaskNode = { kind: 'task', id: task.id, task, children: NO_CHILDREN, parent: null, reached: false };
    nodes[i] = node;
    if (!grouped && (task.projectId ?? NO_PROJECT) !== firstProject) grouped = true;
    const parentId = task.parentId;
    if (parentId === null) {
      path.length = 0;
      path.push(node);
      continue;
    }
    let j = path.length - 1;
    while (j >= 0 && (path[j] as TaskNode).id !== parentId) j -= 1;
    if (j >= 0) {
      parentOf[i] = path[j] as TaskNode;
      path.length = j + 1;
    } else {
      (pending ??= []).push(i);
      path.length = 0;
    }
    path.push(node);
  }

  let byId: Map<string, TaskNode> | null = null;
  const index = (): Map<string, TaskNode> => {
    if (!byId) {
      byId = new Map();
      for (const node of nodes) if (!byId.has(node.id)) byId.set(node.id, node);
    }
    return byId;
  };
  if (pending) {
    const map = index();
    for (const i of pending) {
      const node = nodes[i] as TaskNode;
      const parent = map.get(node.task.parentId as string);
      if (parent && parent !== node) parentOf[i] = parent;
    }
  }

  const projects = new Map<string, ProjectNode>();
  const roots: TreeNode[] = [];
  const topLevel: TaskNode[] = [];
  const groupOf = (task: TaskRecord): ProjectNode => {
    const key = task.projectId ?? NO_PROJECT;
    let p = projects.get(key);
    if (!p) {
      p = { kind: 'project', id: key, name: task.projectName, children: [], parent: null, taskCount: 0 };
      projects.set(key, p);
      roots.push(p);
    }
    return p;
  };
  const attachTop = (node: TaskNode): void => {
    if (grouped) {
      const group = groupOf(node.task);
      node.parent = group;
      group.children.push(node);
    } else {
      node.parent = null;
      topLevel.push(node);
    }
  };
  // Attach in record order, so siblings keep the dataset's order.
  for (let i = 0; i < n; i += 1) {
    const node = nodes[i] as TaskNode;
    const parent = parentOf[i];
    if (parent) {
      node.parent = parent;
      addChild(parent, node);
    } else attachTop(node);
    if (grouped) groupOf(node.task).taskCount += 1;
  }

  // Only a parent found by id can close a cycle; tasks in one are not reachable from the top: detach each cycle at
  // its first member and show it on top.
  if (pending) {
    const mark = (start: TaskNode): void => {
      const stack = [start];
      while (stack.length) {
        const x = stack.pop() as TaskNode;
        if (x.reached) continue;
        x.reached = true;
        for (const c of x.children) stack.push(c);
      }
    };
    for (const r of grouped ? roots.flatMap((p) => p.children as TaskNode[]) : topLevel) mark(r as TaskNode);
    for (const node of nodes) {
      if (node.reached) continue;
      const parent = node.parent;
      if (parent && parent.kind === 'task') parent.children.splice(parent.children.indexOf(node), 1);
      attachTop(node);
      mark(node);
    }
  }
  return { roots: grouped ? roots : topLevel, task: (id) => index().get(id), taskCount: n, grouped };
}

/** Leaf tasks under a node (the node itself when it is a leaf task). */
export function leafTaskIds(node: TreeNode): string[] {
  const out: string[] = [];
  const stack: TreeNode[] = [node];
  while (stack.length) {
    const n = stack.pop() as TreeNode;
    if (n.kind === 'task' && n.children.length === 0) out.push(n.id);
    for (let i = n.children.length - 1; i >= 0; i -= 1) stack.push(n.children[i] as TaskNode);
  }
  return out;
}
