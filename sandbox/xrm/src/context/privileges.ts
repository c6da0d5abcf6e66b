/**
 * The signed-in user's privileges, as `userSettings.getSecurityRolePrivilegesInfo()` reports them: privilege id →
 * { id, businessUnitId, privilegeName, depth } (usersettings.md), depth as the SDK's PrivilegeDepth (0 Basic, 1 Local,
 * 2 Deep, 3 Global). The local Dataverse does not enforce security roles (every caller may do everything, see its
 * README), so the sandbox is told what the user holds: a list of privilege names, or 'all' for a System
 * Administrator (every right on every table in $metadata). Names compare case-insensitively: Dataverse builds them
 * from the table's schema name (prvCreateAccount, prvCreatepfb_tasksync), $metadata only knows logical names.
 */
export type PrivilegeDepthName = 'Basic' | 'Local' | 'Deep' | 'Global';

export interface PrivilegeGrant {
  readonly name: string;
  readonly depth?: PrivilegeDepthName;
}

export interface PrivilegeInfo {
  readonly id: string;
  readonly businessUnitId: string;
  readonly privilegeName: string;
  readonly depth: number;
}

export interface UserPrivileges {
  /** True when the user holds the privilege at `depth` or deeper. */
  has(name: string, depth?: PrivilegeDepthName): boolean;
  /** The getSecurityRolePrivilegesInfo dictionary. */
  info(): Record<string, PrivilegeInfo>;
  /** userSettings.securityRolePrivileges: the privilege ids. */
  ids(): string[];
}

const DEPTHS: readonly PrivilegeDepthName[] = ['Basic', 'Local', 'Deep', 'Global'];
export const RIGHTS = ['Create', 'Read', 'Write', 'Delete', 'Append', 'AppendTo', 'Assign', 'Share'] as const;

/** A stable GUID for a privilege name (FNV-1a over the name, four times with different seeds). */
export function privilegeIdOf(name: string): string {
  const hex = [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b]
    .map((seed) => {
      let h = seed >>> 0;
      for (const ch of name.toLowerCase()) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
      return h.toString(16).padStart(8, '0');
    })
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function userPrivileges(grants: readonly (string | PrivilegeGrant)[] | 'all', businessUnitId: string, tables: () => readonly string[]): UserPrivileges {
  const all = grants === 'all';
  const list: PrivilegeGrant[] = all
    ? tables().flatMap((t) => RIGHTS.map((r) => ({ name: `prv${r}${t}`, depth: 'Global' as const })))
    : grants.map((g) => (typeof g === 'string' ? { name: g, depth: 'Global' as const } : g));
  const byName = new Map(list.map((g) => [g.name.toLowerCase(), g]));
  return {
    has(name, depth = 'Basic') {
      if (all) return true;
      const g = byName.get(name.toLowerCase());
      return !!g && DEPTHS.indexOf(g.depth ?? 'Global') >= DEPTHS.indexOf(depth);
    },
    info() {
      const out: Record<string, PrivilegeInfo> = {};
      for (const g of list) {
        const id = privilegeIdOf(g.name);
        out[id] = { id, businessUnitId, privilegeName: g.name, depth: DEPTHS.indexOf(g.depth ?? 'Global') };
      }
      return out;
    },
    ids: () => list.map((g) => privilegeIdOf(g.name)),
  };
}
