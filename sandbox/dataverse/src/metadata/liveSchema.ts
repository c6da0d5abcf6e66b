/**
 * The organization's metadata as it stands: the schema model every layer reads (store, pipeline, query compiler,
 * $metadata, webhooks), replaced in place when an ImportSolution creates tables or adds columns, keys and
 * relationships — as Dataverse's metadata cache changes under a running organization. Readers hold this object and
 * always see the current model; `version` tells caches (the CSDL document) when to rebuild.
 */
import { buildSchema, type RelationshipDef, type SchemaModel, type TableDef } from '@pfb/domain';

export class LiveSchema implements SchemaModel {
  private model: SchemaModel;
  private generation = 0;

  constructor(tables: readonly TableDef[]) {
    this.model = buildSchema(tables);
  }

  /** Wraps a model (a LiveSchema is returned as is). */
  static of(schema: SchemaModel): LiveSchema {
    return schema instanceof LiveSchema ? schema : new LiveSchema(schema.tables);
  }

  get tables(): readonly TableDef[] {
    return this.model.tables;
  }

  get relationships(): readonly RelationshipDef[] {
    return this.model.relationships;
  }

  /** Changes with every replace. */
  get version(): number {
    return this.generation;
  }

  table(logicalName: string): TableDef | undefined {
    return this.model.table(logicalName);
  }

  tableByEntitySet(entitySetName: string): TableDef | undefined {
    return this.model.tableByEntitySet(entitySetName);
  }

  manyToOneOf(logicalName: string): readonly RelationshipDef[] {
    return this.model.manyToOneOf(logicalName);
  }

  oneToManyOf(logicalName: string): readonly RelationshipDef[] {
    return this.model.oneToManyOf(logicalName);
  }

  /**
   * Validates `tables` as a whole model (names, entity sets and navigation properties unique) and makes it current.
   * Throws, leaving the current model in place, when it is not consistent.
   */
  replace(tables: readonly TableDef[]): void {
    this.model = buildSchema(tables);
    this.generation += 1;
  }
}
