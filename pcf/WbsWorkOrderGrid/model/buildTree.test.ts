import { buildTree, leafTaskIds, type TaskNode } from './buildTree';
import type { TaskRecord } from './types';

const task = (id: string, parentId: string | null, projectId = 'p1', isSummary = false): TaskRecord => ({
  id,
  name: id,
  parentId,
  projectId,
  projectName: `Project ${projectId}`,
  isSummary,
  start: '',
  finish: '',
  effortHours: 8,
  effort: '8',
});

const shape = (nodes: readonly { id: string; children: readonly TaskNode[] }[]): unknown => nodes.map((n) => (n.children.length ? { [n.id]: shape(n.children) } : n.id));

describe('buildTree', () => {
  it('nests tasks under their parent in dataset order', () => {
    const tree = buildTree([task('a', null, 'p1', true), task('a1', 'a'), task('b', null, 'p1', true), task('a2', 'a'), task('b1', 'b')]);
    expect(tree.grouped).toBe(false);
    expect(shape(tree.roots as TaskNode[])).toEqual([{ a: ['a1', 'a2'] }, { b: ['b1'] }]);
  });

  it('attaches a child that arrives before its parent (sorted views, later pages)', () => {
    const tree = buildTree([task('a1', 'a'), task('a', null, 'p1', true)]);
    expect(shape(tree.roots as TaskNode[])).toEqual([{ a: ['a1'] }]);
  });

  it('shows a task whose parent is not in the dataset at the top', () => {
    const tree = buildTree([task('x1', 'missing'), task('y', null)]);
    expect(shape(tree.roots as TaskNode[])).toEqual(['x1', 'y']);
  });

  it('groups a program view by project', () => {
    const tree = buildTree([task('a', null, 'p1'), task('b', null, 'p2'), task('a1', 'a', 'p1')]);
    expect(tree.grouped).toBe(true);
    expect(tree.roots.map((r) => [r.kind, r.id, r.children.map((c) => c.id)])).toEqual([
      ['project', 'p1', ['a']],
      ['project', 'p2', ['b']],
    ]);
  });

  it('never loses tasks caught in a parent cycle', () => {
    const tree = buildTree([task('a', 'b'), task('b', 'a'), task('c', null)]);
    const all = new Set<string>();
    const walk = (ns: readonly { id: string; children: readonly TaskNode[] }[]): void => ns.forEach((n) => (all.add(n.id), walk(n.children)));
    walk(tree.roots as TaskNode[]);
    expect([...all].sort()).toEqual(['a', 'b', 'c']);
  });

  it('lists the leaves under a node', () => {
    const tree = buildTree([task('a', null, 'p1', true), task('a1', 'a'), task('a2', 'a', 'p1', true), task('a21', 'a2')]);
    expect(leafTaskIds(tree.roots[0] as TaskNode)).toEqual(['a1', 'a21']);
  });
});
