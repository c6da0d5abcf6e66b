/**
 * How the schema module's column vocabulary is written in solution files (customizations.xml `<attribute>`,
 * relationships, option sets), in both directions: the packer writes with it and the local Dataverse's
 * ImportSolution reads with it. Values follow Dataverse's exports (e.g. Microsoft's own unpacked solutions in
 * microsoft/Templates-for-Power-Platform) and the CrmDataType enumeration of CustomizationsSolution.xsd.
 */
import type { ColumnType, DateTimeBehavior, RequiredLevel } from '@pfb/domain';

/** `<Type>` of an attribute; the primary key is `primarykey` whatever its column type. */
export const ATTRIBUTE_TYPE: Readonly<Record<ColumnType, string>> = {
  uniqueidentifier: 'uniqueidentifier',
  string: 'nvarchar',
  memo: 'ntext',
  integer: 'int',
  bigint: 'bigint',
  decimal: 'decimal',
  double: 'float',
  money: 'money',
  boolean: 'bit',
  datetime: 'datetime',
  picklist: 'picklist',
  state: 'state',
  status: 'status',
  lookup: 'lookup',
  owner: 'owner',
  customer: 'customer',
};
export const PRIMARY_KEY_TYPE = 'primarykey';

/** `<RequiredLevel>`: ApplicationRequired is written `required` and SystemRequired `systemrequired` in exports. */
export const REQUIRED_LEVEL: Readonly<Record<RequiredLevel, string>> = {
  none: 'none',
  recommended: 'recommended',
  application: 'required',
  system: 'systemrequired',
};

/** `<Behavior>` of a date-time attribute (DateTimeBehavior: 1 UserLocal, 2 DateOnly, 3 TimeZoneIndependent). */
export const DATETIME_BEHAVIOR: Readonly<Record<DateTimeBehavior, number>> = { UserLocal: 1, DateOnly: 2, TimeZoneIndependent: 3 };

/** `<OwnershipTypeMask>` of an entity. */
export const OWNERSHIP_MASK = { UserOwned: 'UserOwned', OrganizationOwned: 'OrgOwned', None: 'None' } as const;

function invert<K extends string, V extends string | number>(record: Readonly<Record<K, V>>): ReadonlyMap<V, K> {
  return new Map(Object.entries(record).map(([k, v]) => [v as V, k as K]));
}

export const COLUMN_TYPE_OF: ReadonlyMap<string, ColumnType> = invert(ATTRIBUTE_TYPE);
export const REQUIRED_LEVEL_OF: ReadonlyMap<string, RequiredLevel> = invert(REQUIRED_LEVEL);
export const DATETIME_BEHAVIOR_OF: ReadonlyMap<number, DateTimeBehavior> = invert(DATETIME_BEHAVIOR);
export const OWNERSHIP_OF: ReadonlyMap<string, keyof typeof OWNERSHIP_MASK> = invert(OWNERSHIP_MASK);

/** EntityRelationshipRole.RelationshipRoleType of the role naming the lookup's navigation property on the child. */
export const REFERENCING_ROLE = '1';
/** … and of the role naming the collection-valued navigation property on the parent. */
export const REFERENCED_ROLE = '0';
