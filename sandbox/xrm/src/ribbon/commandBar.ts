/**
 * A command bar that runs classic ribbon commands as a model-driven app does: the buttons of a location
 * (`Mscrm.HomepageGrid.<table>…`, `Mscrm.SubGrid.<table>…`, `Mscrm.Form.<table>…`) from the RibbonDiffXml, hidden
 * unless every display rule holds, disabled unless every enable rule holds, each click calling the command's
 * JavaScriptFunction with its parameters. Libraries (`$webresource:<name>`) load from /WebResources/<name>.
 *
 * Rules evaluated: SelectionCountRule, FormStateRule, EntityPrivilegeRule, CustomRule (a function of the library,
 * given its parameters; a Promise is awaited, and "counts as false if it does not resolve within 10 s", Unified
 * Interface), OrRule; InvertResult on each. Other rule types answer their `Default` (true when absent), with a warning.
 * CrmParameter values: pass-data-page-parameter-ribbon-actions (SelectedControl, SelectedControlSelectedItemIds,
 * …ItemCount, …ItemReferences, SelectedControlAllItemIds/Count, SelectedEntityTypeName, PrimaryControl,
 * PrimaryEntityTypeName, FirstPrimaryItemId, PrimaryItemIds, UserLcid, OrgLcid, OrgName, CommandProperties).
 */
/// <reference types="xrm" />
import { braced } from '../context/globalContext';
import type { UserPrivileges } from '../context/privileges';
import type { GridControl } from '../controls/gridControl';
import { el, type DomDocument, type DomElement } from '../ui/dom';
import { ensureStyles } from '../ui/styles';
import type { ButtonModel, Parameter, RibbonModel, XmlNode } from './ribbonModel';
import { parametersOf } from './ribbonModel';

export type Surface = 'HomepageGrid' | 'SubGrid' | 'Form';

export interface CommandContext {
  readonly entityName: string;
  readonly surface: Surface;
  /** Grids: the grid control. */
  readonly selectedControl?: GridControl;
  /** Forms, and the form hosting a subgrid. */
  readonly primaryControl?: Xrm.FormContext;
}

export interface CommandBarOptions {
  readonly document: DomDocument;
  readonly container: DomElement;
  readonly ribbons: readonly RibbonModel[];
  readonly context: CommandContext;
  readonly privileges: UserPrivileges;
  readonly userLcid: number;
  readonly orgLcid: number;
  readonly orgName: string;
  /** Loads a `$webresource:` library once; resolves when its globals exist. */
  loadLibrary(name: string): Promise<void>;
  readonly ruleTimeoutMs?: number;
}

export interface ButtonState {
  readonly id: string;
  readonly label: string;
  readonly visible: boolean;
  readonly enabled: boolean;
}

/** Form types (XrmEnum.FormType) by FormStateRule state. */
const FORM_STATE: Readonly<Record<string, number>> = { Create: 1, Existing: 2, ReadOnly: 3, Disabled: 4, BulkEdit: 6 };

export function scriptLoader(doc: DomDocument, clientUrl: string): (name: string) => Promise<void> {
  const loaded = new Map<string, Promise<void>>();
  return (library) => {
    const name = library.replace(/^\$webresource:/, '');
    let done = loaded.get(name);
    if (!done) {
      done = new Promise<void>((resolve, reject) => {
        const script = el(doc, 'script', { src: `${clientUrl.replace(/\/+$/, '')}/WebResources/${name}` });
        script.addEventListener('load', () => resolve());
        script.addEventListener('error', () => reject(new Error(`The web resource ${name} could not be loaded.`)));
        doc.head.append(script);
      });
      loaded.set(name, done);
    }
    return done;
  };
}

function resolveFunction(path: string): ((...args: unknown[]) => unknown) | undefined {
  let target: unknown = globalThis;
  for (const part of path.split('.')) target = target && typeof target === 'object' ? (target as Record<string, unknown>)[part] : undefined;
  return typeof target === 'function' ? (target as (...args: unknown[]) => unknown) : undefined;
}

export class CommandBar {
  private states: ButtonState[] = [];
  private evaluation: Promise<void> = Promise.resolve();
  private generation = 0;
  private readonly running = new Set<string>();
  /** Every command run's result (or error), in order. */
  readonly results: { readonly buttonId: string; readonly result?: unknown; readonly error?: unknown }[] = [];

  constructor(private readonly options: CommandBarOptions) {
    ensureStyles(options.document);
    options.container.className = `${options.container.className} sx-commandbar`.trim();
    options.container.setAttribute('role', 'toolbar');
    options.container.setAttribute('aria-label', `${options.context.entityName} commands`);
  }

  private get buttons(): { button: ButtonModel; ribbon: RibbonModel }[] {
    const prefix = `Mscrm.${this.options.context.surface}.${this.options.context.entityName}.`;
    return this.options.ribbons
      .flatMap((ribbon) => ribbon.buttons.filter((b) => b.location.startsWith(prefix)).map((button) => ({ button, ribbon })))
      .sort((a, b) => a.button.sequence - b.button.sequence);
  }

  /** Re-evaluates every rule (selection changed, grid refreshed, formContext.ui.refreshRibbon). */
  refresh(): Promise<void> {
    const generation = (this.generation += 1);
    this.evaluation = (async () => {
      // Buttons are evaluated side by side (each button's rules in order), as the app evaluates its command bar.
      const states: ButtonState[] = await Promise.all(
        this.buttons.map(async ({ button, ribbon }) => {
          const command = ribbon.commands.get(button.command);
          const visible = command ? await this.allHold(command.displayRules, ribbon.displayRules, button) : false;
          const enabled = visible && command ? await this.allHold(command.enableRules, ribbon.enableRules, button) : false;
          return { id: button.id, label: button.label, visible, enabled };
        }),
      );
      // A later evaluation wins: a slow rule of an older selection must not overwrite a newer state.
      if (generation === this.generation) {
        this.states = states;
        this.render();
      }
    })();
    return this.evaluation;
  }

  /** Resolves when the latest evaluation has finished. */
  async settled(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.evaluation;
      await seen;
    } while (seen !== this.evaluation);
  }

  /** The buttons as last evaluated; a button whose command is running shows disabled. */
  buttonStates(): readonly ButtonState[] {
    return this.states.map((s) => (this.running.has(s.id) ? { ...s, enabled: false } : s));
  }

  /** Runs a button's command as a click does. */
  async click(buttonId: string): Promise<unknown> {
    const entry = this.buttons.find((b) => b.button.id === buttonId);
    const command = entry ? entry.ribbon.commands.get(entry.button.command) : undefined;
    if (!entry || !command) throw new Error(`No button ${buttonId} here.`);
    // While it runs the button shows busy and disabled; the rules are not evaluated again for it (the command
    // refreshes what it changed: the grid, or the form and its ribbon).
    this.running.add(buttonId);
    this.render();
    try {
      let result: unknown;
      for (const action of command.actions) result = await this.call(action.library, action.functionName, action.parameters, entry.button);
      this.results.push({ buttonId, result });
      return result;
    } catch (error) {
      this.results.push({ buttonId, error });
      throw error;
    } finally {
      this.running.delete(buttonId);
      this.render();
    }
  }

  private render(): void {
    const doc = this.options.document;
    const nodes = this.buttonStates()
      .filter((s) => s.visible)
      .map((s) => {
        const model = this.buttons.find((b) => b.button.id === s.id)?.button;
        return el(doc, 'button', {
          type: 'button',
          class: 'sx-button',
          'data-button-id': s.id,
          title: model?.tooltip,
          'aria-label': model?.alt || s.label,
          disabled: !s.enabled,
          'aria-busy': this.running.has(s.id) ? 'true' : undefined,
          onclick: () => void this.click(s.id).catch(() => undefined),
        }, s.label);
      });
    this.options.container.replaceChildren(...nodes);
  }

  private async allHold(ids: readonly string[], definitions: ReadonlyMap<string, readonly XmlNode[]>, button: ButtonModel): Promise<boolean> {
    for (const id of ids) {
      const clauses = definitions.get(id);
      if (!clauses) {
        console.warn(`[sandbox ribbon] rule ${id} is referenced but not defined: treated as false`);
        return false;
      }
      for (const clause of clauses) if (!(await this.clause(clause, button))) return false;
    }
    return true;
  }

  private async clause(rule: XmlNode, button: ButtonModel): Promise<boolean> {
    const invert = rule.attributes['InvertResult'] === 'true';
    const result = await this.evaluate(rule, button);
    return invert ? !result : result;
  }

  private async evaluate(rule: XmlNode, button: ButtonModel): Promise<boolean> {
    const { context } = this.options;
    switch (rule.name) {
      case 'SelectionCountRule': {
        const count = context.selectedControl?.selectedIds().length ?? 0;
        const min = rule.attributes['Minimum'] !== undefined ? Number(rule.attributes['Minimum']) : 0;
        const max = rule.attributes['Maximum'] !== undefined ? Number(rule.attributes['Maximum']) : Infinity;
        return count >= min && count <= max;
      }
      case 'FormStateRule': {
        const type = (context.primaryControl?.ui as { getFormType?(): number } | undefined)?.getFormType?.() ?? 0;
        return type === FORM_STATE[rule.attributes['State'] ?? ''];
      }
      case 'EntityPrivilegeRule': {
        const entity = rule.attributes['EntityName'] ?? context.entityName;
        return this.options.privileges.has(`prv${rule.attributes['PrivilegeType'] ?? ''}${entity}`, (rule.attributes['PrivilegeDepth'] as 'Basic') ?? 'Basic');
      }
      case 'CustomRule': {
        const timeout = this.options.ruleTimeoutMs ?? 10_000;
        try {
          const value = await Promise.race([
            this.call(rule.attributes['Library'] ?? '', rule.attributes['FunctionName'] ?? '', parametersOf(rule), button),
            new Promise((resolve) => setTimeout(() => resolve(false), timeout)),
          ]);
          return value === true;
        } catch (e) {
          console.warn(`[sandbox ribbon] CustomRule ${rule.attributes['FunctionName']} failed: treated as false`, e);
          return false;
        }
      }
      case 'OrRule': {
        for (const or of rule.children.filter((c) => c.name === 'Or')) {
          let all = true;
          for (const c of or.children) if (!(await this.clause(c, button))) all = false;
          if (all) return true;
        }
        return false;
      }
      default:
        console.warn(`[sandbox ribbon] ${rule.name} is not evaluated here: its Default (${rule.attributes['Default'] ?? 'true'}) applies`);
        return rule.attributes['Default'] !== 'false';
    }
  }

  private async call(library: string, functionName: string, parameters: readonly Parameter[], button: ButtonModel): Promise<unknown> {
    await this.options.loadLibrary(library);
    const fn = resolveFunction(functionName);
    if (!fn) throw new Error(`${functionName} is not defined by ${library}.`);
    return fn(...parameters.map((p) => this.parameter(p, button)));
  }

  private parameter(p: Parameter, button: ButtonModel): unknown {
    if (p.kind === 'string') return p.value;
    if (p.kind === 'bool') return p.value === 'true';
    if (p.kind === 'int' || p.kind === 'decimal') return Number(p.value);
    const { context } = this.options;
    const grid = context.selectedControl;
    const form = context.primaryControl;
    const formId = form?.data?.entity?.getId?.() || null;
    const formEntity = form?.data?.entity?.getEntityName?.() ?? null;
    switch (p.value) {
      case 'SelectedControl':
        return grid ?? null;
      case 'SelectedControlSelectedItemIds':
        return grid?.selectedIds() ?? [];
      case 'SelectedControlSelectedItemCount':
        return grid?.selectedIds().length ?? 0;
      case 'SelectedControlSelectedItemReferences':
        return grid?.selectedRecords().map((r) => ({ Id: braced(r.id), Name: r.name, TypeName: grid.getEntityName() })) ?? [];
      case 'SelectedControlAllItemIds':
        return grid?.allIds() ?? [];
      case 'SelectedControlAllItemCount':
        return grid?.allIds().length ?? 0;
      case 'SelectedEntityTypeName':
        return grid?.getEntityName() ?? context.entityName;
      case 'PrimaryControl':
        return form ?? null;
      // On a home grid the primary entity is the grid's; on a form or its subgrid, the form's.
      case 'PrimaryEntityTypeName':
        return formEntity ?? context.entityName;
      case 'FirstPrimaryItemId':
        return formId;
      case 'PrimaryItemIds':
        return formId ? [formId] : [];
      case 'UserLcid':
        return this.options.userLcid;
      case 'OrgLcid':
        return this.options.orgLcid;
      case 'OrgName':
        return this.options.orgName;
      case 'CommandProperties':
        return { SourceControlId: button.id, CommandValueId: '' };
      default:
        console.warn(`[sandbox ribbon] CrmParameter ${p.value} is not provided here: null`);
        return null;
    }
  }
}
