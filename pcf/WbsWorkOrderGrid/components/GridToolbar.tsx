/** The grid's commands: Ready to Sync for the selection, refresh, expand/collapse, search and the status filters. */
import * as React from 'react';
import {
  Input,
  Menu,
  MenuItemCheckbox,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Toolbar,
  ToolbarButton,
  ToolbarDivider,
  Tooltip,
  type MenuProps,
} from '@fluentui/react-components';
import { FieldStatus, SyncStatus } from '../../shared/schemaNames';
import { fill } from '../../shared/strings';
import type { GridStrings } from '../gridStrings';
import { NO_FIELD_STATUS, NOT_SYNCED } from '../model/filter';
import { fieldStatusLabel, syncStatusLabel } from './cells';
import { useGridStyles } from './styles';

export type CommandState = { kind: 'loading' } | { kind: 'ready' } | { kind: 'running'; count: number } | { kind: 'unavailable' };

export interface GridToolbarProps {
  readonly strings: GridStrings;
  readonly selectedCount: number;
  readonly command: CommandState;
  readonly searchText: string;
  readonly syncStatuses: ReadonlySet<number>;
  readonly fieldStatuses: ReadonlySet<number>;
  readonly onReadyToSync: () => void;
  readonly onRefresh: () => void;
  readonly onExpandAll: (expanded: boolean) => void;
  readonly onSearch: (text: string) => void;
  readonly onSyncStatuses: (values: ReadonlySet<number>) => void;
  readonly onFieldStatuses: (values: ReadonlySet<number>) => void;
}

const SYNC_OPTIONS = [NOT_SYNCED, ...Object.values(SyncStatus)];
const FIELD_OPTIONS = [NO_FIELD_STATUS, ...Object.values(FieldStatus)];

export const GridToolbar = React.memo(function GridToolbar(props: GridToolbarProps): React.ReactElement {
  const styles = useGridStyles();
  const { strings, command, selectedCount } = props;

  const readyLabel = selectedCount > 0 ? fill(strings.ReadyToSync_Count, { count: selectedCount }) : strings.ReadyToSync;
  const disabled = command.kind !== 'ready' || selectedCount === 0;
  const tip =
    command.kind === 'unavailable'
      ? fill(strings.ReadyToSync_Unavailable, { script: 'pfb_/scripts/commands.js' })
      : command.kind === 'loading'
        ? strings.ReadyToSync_Loading
        : command.kind === 'running'
          ? fill(strings.ReadyToSync_Running, { count: command.count })
          : selectedCount === 0
            ? strings.ReadyToSync_NoSelection
            : readyLabel;

  const statusMenu = (name: 'sync' | 'field', label: string, options: readonly number[], values: ReadonlySet<number>, onChange: (v: ReadonlySet<number>) => void): React.ReactElement => {
    const optionLabel = (v: number): string =>
      name === 'sync' ? (v === NOT_SYNCED ? strings.Filter_NotSynced : syncStatusLabel(strings, v)) : v === NO_FIELD_STATUS ? strings.Filter_NoFieldStatus : fieldStatusLabel(strings, v);
    const checked: MenuProps['checkedValues'] = { [name]: [...values].map(String) };
    return (
      <Menu
        checkedValues={checked}
        onCheckedValueChange={(_e, data) => onChange(new Set(data.checkedItems.map(Number)))}
      >
        <MenuTrigger disableButtonEnhancement>
          <ToolbarButton aria-label={values.size > 0 ? fill(strings.Filter_Count, { filter: label, count: values.size }) : label}>
            {values.size > 0 ? fill(strings.Filter_Count, { filter: label, count: values.size }) : label}
          </ToolbarButton>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            {options.map((v) => (
              <MenuItemCheckbox key={v} name={name} value={String(v)}>
                {optionLabel(v)}
              </MenuItemCheckbox>
            ))}
          </MenuList>
        </MenuPopover>
      </Menu>
    );
  };

  const filtering = props.syncStatuses.size > 0 || props.fieldStatuses.size > 0 || props.searchText !== '';
  return (
    <div className={styles.toolbarRow}>
      <Toolbar aria-label={strings.Toolbar_Label} size="small">
        <Tooltip content={tip} relationship="description">
          <ToolbarButton appearance="primary" disabledFocusable={disabled} onClick={disabled ? undefined : props.onReadyToSync} data-testid="ready-to-sync">
            {readyLabel}
          </ToolbarButton>
        </Tooltip>
        <ToolbarButton onClick={props.onRefresh}>{strings.Refresh}</ToolbarButton>
        <ToolbarDivider />
        <ToolbarButton onClick={() => props.onExpandAll(true)}>{strings.ExpandAll}</ToolbarButton>
        <ToolbarButton onClick={() => props.onExpandAll(false)}>{strings.CollapseAll}</ToolbarButton>
        <ToolbarDivider />
        {statusMenu('sync', strings.Filter_SyncStatus, SYNC_OPTIONS, props.syncStatuses, props.onSyncStatuses)}
        {statusMenu('field', strings.Filter_FieldStatus, FIELD_OPTIONS, props.fieldStatuses, props.onFieldStatuses)}
        {filtering ? (
          <ToolbarButton
            onClick={() => {
              props.onSearch('');
              props.onSyncStatuses(new Set());
              props.onFieldStatuses(new Set());
            }}
          >
            {strings.Filter_Clear}
          </ToolbarButton>
        ) : null}
      </Toolbar>
      <Input
        className={styles.search}
        type="search"
        value={props.searchText}
        placeholder={strings.Search_Placeholder}
        aria-label={strings.Search_Label}
        onChange={(_e, data) => props.onSearch(data.value)}
      />
    </div>
  );
});
