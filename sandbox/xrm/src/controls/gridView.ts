/**
 * A plain, accessible table for a GridControl: a checkbox per row (labelled with the row's name) and one for all
 * rows, the columns the page asks for. Re-renders when the control's rows or selection change.
 */
import { el, type DomDocument, type DomElement } from '../ui/dom';
import { ensureStyles } from '../ui/styles';
import type { GridControl, GridRecord } from './gridControl';

export interface GridColumn {
  readonly label: string;
  value(record: GridRecord): string;
}

export function renderGrid(doc: DomDocument, container: DomElement, control: GridControl, columns: readonly GridColumn[], caption: string): () => void {
  ensureStyles(doc);
  const draw = (): void => {
    const rows = control.rows();
    const all = rows.length > 0 && rows.every((r) => control.isSelected(r.id));
    const some = rows.some((r) => control.isSelected(r.id));
    const head = el(
      doc,
      'tr',
      {},
      el(
        doc,
        'th',
        { scope: 'col' },
        el(doc, 'input', {
          type: 'checkbox',
          'aria-label': `Select all ${caption}`,
          'data-select-all': '',
          checked: all,
          onchange: () => control.setSelected(all ? [] : rows.map((r) => r.id)),
        }),
      ),
      ...columns.map((c) => el(doc, 'th', { scope: 'col' }, c.label)),
    );
    const body = rows.map((r) =>
      el(
        doc,
        'tr',
        { 'data-row-id': r.id },
        el(
          doc,
          'td',
          {},
          el(doc, 'input', {
            type: 'checkbox',
            'aria-label': `Select ${r.name}`,
            'data-row-select': r.id,
            checked: control.isSelected(r.id),
            onchange: (e) => control.toggle(r.id, Boolean((e.target as { checked?: boolean } | undefined)?.checked)),
          }),
        ),
        ...columns.map((c) => el(doc, 'td', {}, c.value(r))),
      ),
    );
    const table = el(doc, 'table', { class: 'sx-grid', 'aria-label': caption }, el(doc, 'thead', {}, head), el(doc, 'tbody', {}, ...body));
    container.replaceChildren(table);
    const selectAll = table.querySelector('[data-select-all]');
    if (selectAll) {
      selectAll.checked = all;
      selectAll.indeterminate = some && !all;
    }
    for (const box of Array.from(table.querySelectorAll('[data-row-select]'))) box.checked = control.isSelected(box.getAttribute('data-row-select') ?? '');
  };
  draw();
  return control.subscribe(draw);
}
