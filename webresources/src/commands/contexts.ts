/**
 * What the ribbon hands a command (CrmParameter values, pass-data-page-parameter-ribbon-actions): the grid
 * (`SelectedControl`) or the form (`PrimaryControl`), and reading ids and refreshing from them. Controls differ
 * between the home grid, a subgrid and a form, so every call is guarded.
 */
import { normalizeId } from '../platform/ids';

export interface GridLike {
  refresh?(): void;
  getGrid?(): { getSelectedRows?(): { get?(): unknown[]; forEach?(cb: (row: unknown) => void): void } } | undefined;
}

export interface FormLike {
  data?: {
    entity?: { getId?(): string; getEntityName?(): string; getPrimaryAttributeValue?(): string | null };
    refresh?(save?: boolean): PromiseLike<unknown>;
  };
  ui?: { refreshRibbon?(refreshAll?: boolean): void; getFormType?(): number };
  getAttribute?(name: string): { getValue?(): unknown } | null;
}

/** The record id of a form, or null on a create form (no id yet). */
export function formRecordId(form: FormLike | null | undefined): string | null {
  return normalizeId(form?.data?.entity?.getId?.() ?? null);
}

export function formEntityName(form: FormLike | null | undefined): string | null {
  return form?.data?.entity?.getEntityName?.() ?? null;
}

export function formRecordName(form: FormLike | null | undefined): string | null {
  return form?.data?.entity?.getPrimaryAttributeValue?.() ?? null;
}

export function refreshGrid(grid: GridLike | null | undefined): void {
  try {
    grid?.refresh?.();
  } catch {
    // A grid that cannot refresh (closed, navigated away) is not worth an error after the work is done.
  }
}

export async function refreshForm(form: FormLike | null | undefined): Promise<void> {
  try {
    await form?.data?.refresh?.(false);
    form?.ui?.refreshRibbon?.();
  } catch {
    // As above: the rows are written; a stale form is refreshed by the user.
  }
}
