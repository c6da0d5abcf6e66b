/**
 * The shape of the one schema module: every Dataverse table, column, choice, key and relationship the product
 * touches. The local Dataverse, the bridge, the ribbon, the PCF controls and the solution packer all read it, so
 * they cannot disagree on a logical name or an option value.
 */

/** Column (attribute) types, named after Dataverse's AttributeTypeCode. */
export type ColumnType =
  | 'uniqueidentifier'
  | 'string'
  | 'memo'
  | 'integer'
  | 'bigint'
  | 'decimal'
  | 'double'
  | 'money'
  | 'boolean'
  | 'datetime'
  | 'picklist'
  | 'state'
  | 'status'
  | 'lookup'
  | 'owner'
  | 'customer';

/** RequiredLevel: Dataverse enforces only SystemRequired server-side; ApplicationRequired is a form rule. */
export type RequiredLevel = 'none' | 'recommended' | 'application' | 'system';

export interface OptionDef {
  readonly value: number;
  readonly label: string;
}

export interface OptionSetDef {
  /** Global option set name, or the local name `<table>_<column>`. */
  readonly name: string;
  readonly global: boolean;
  readonly options: readonly OptionDef[];
}

/** DateTime behaviour as in AttributeMetadata.DateTimeBehavior. */
export type DateTimeBehavior = 'UserLocal' | 'DateOnly' | 'TimeZoneIndependent';

export interface ColumnDef {
  readonly logicalName: string;
  /** SchemaName; for lookups it is also the single-valued navigation property name unless `navigationProperty` says otherwise. */
  readonly schemaName: string;
  readonly type: ColumnType;
  readonly displayName: string;
  readonly description?: string;
  readonly required: RequiredLevel;
  /** Set by the platform only (createdon, versionnumber…); ignored when sent on create or update. */
  readonly readOnly?: boolean;
  /** Valid on create only (e.g. the primary key). */
  readonly createOnly?: boolean;
  readonly maxLength?: number;
  readonly minValue?: number;
  readonly maxValue?: number;
  readonly precision?: number;
  readonly dateTimeBehavior?: DateTimeBehavior;
  readonly optionSet?: OptionSetDef;
  /** For lookup/owner/customer columns: the logical names of the tables it may point to. */
  readonly targets?: readonly string[];
  /** For lookups: the single-valued navigation property on this table (defaults to the schema name's casing as Dataverse emits it). */
  readonly navigationProperty?: string;
  /** For lookups: the one-to-many relationship schema name (defaults to `<target>_<table>_<column>`). */
  readonly relationshipName?: string;
  /** For lookups: the collection-valued navigation property on the target table (defaults to the relationship name). */
  readonly referencedNavigationProperty?: string;
  /**
   * For polymorphic lookups: the per-target navigation names Dataverse uses (e.g. task.regardingobjectid →
   * `regardingobjectid_account_task` on the task, `Account_Tasks` on the account).
   */
  readonly perTarget?: Readonly<
    Record<string, { readonly navigationProperty: string; readonly relationshipName: string; readonly referencedNavigationProperty: string }>
  >;
  /** Not returned by retrieve (IsValidForRead false), e.g. serviceendpoint.authvalue. */
  readonly notReadable?: boolean;
  /** For lookups whose target row's deletion should cascade (otherwise RemoveLink). */
  readonly cascadeDelete?: 'Cascade' | 'RemoveLink' | 'Restrict';
  /** Added to a platform or first-party table by our solution (prefix pfb_). */
  readonly addedBySolution?: boolean;
}

export interface AlternateKeyDef {
  readonly schemaName: string;
  readonly displayName: string;
  readonly columns: readonly string[];
}

export type Ownership = 'UserOwned' | 'OrganizationOwned' | 'None';

export interface TableDef {
  readonly logicalName: string;
  readonly schemaName: string;
  readonly entitySetName: string;
  readonly displayName: string;
  readonly displayCollectionName: string;
  readonly description?: string;
  readonly primaryIdAttribute: string;
  readonly primaryNameAttribute: string;
  readonly ownership: Ownership;
  /** ObjectTypeCode: fixed for system tables; custom tables get one at import (we assign from 10000). */
  readonly objectTypeCode: number;
  /** Ours (created by the solution) or someone else's (platform, Project Operations, Field Service). */
  readonly origin: 'pfb' | 'platform' | 'projectoperations' | 'fieldservice';
  /**
   * Project Operations scheduling tables: create/update/delete only through the Project schedule APIs
   * (Project Operations docs, "Project planning extensibility": msdyn_projecttask, msdyn_resourceassignment,
   * msdyn_projectbucket, msdyn_projectteam, msdyn_projecttaskdependency; team members may also be created plainly).
   */
  readonly scheduling?: { readonly plainCreateAllowed: boolean };
  readonly columns: Readonly<Record<string, ColumnDef>>;
  readonly alternateKeys: readonly AlternateKeyDef[];
}

/** A one-to-many relationship derived from a lookup column. */
export interface RelationshipDef {
  readonly schemaName: string;
  readonly referencedEntity: string;
  readonly referencedAttribute: string;
  readonly referencingEntity: string;
  readonly referencingAttribute: string;
  /** Single-valued navigation property on the referencing (child) table. */
  readonly referencingNavigationProperty: string;
  /** Collection-valued navigation property on the referenced (parent) table. */
  readonly referencedNavigationProperty: string;
  readonly cascadeDelete: 'Cascade' | 'RemoveLink' | 'Restrict';
}
