/**
 * Request objects for `Xrm.WebApi.online.execute` / `executeMultiple`. The client API reads what to send from each
 * object's `getMetadata()`, which Microsoft's samples put on the prototype ("The getMetadata property should be
 * attached to the function prototype instead of the function object itself", xrm-execute-*.js); a class method is
 * exactly that.
 *
 * The bulk messages are actions bound to an entity set (UpsertMultiple / UpdateMultiple reference: "Binding Type:
 * collection", parameter `Targets`, `Collection(crmbaseentity)`): boundParameter `entityset`, the set named by the
 * `entityset` parameter's type, `Targets` a collection (structuralProperty 4), operationType 0 (action), as the
 * execute.md getMetadata table describes. Each counts as one request toward the service protection limit and still
 * runs the Create/Update steps of every record (bulk-operations), so the bridge's webhook fires per row.
 */
export interface RequestMetadata {
  readonly boundParameter: string | null | undefined;
  readonly parameterTypes: Readonly<Record<string, { readonly typeName: string; readonly structuralProperty: number; readonly enumProperties?: readonly { name: string; value: number }[] }>>;
  readonly operationType: 0 | 1 | 2;
  readonly operationName: string;
}

/** What `executeMultiple` takes: a request, or an array of requests sent as one atomic change set. */
export interface ExecuteRequest {
  getMetadata(): RequestMetadata;
}

/** execute.md, structuralProperty: 0 Unknown, 1 PrimitiveType, 2 ComplexType, 3 EnumerationType, 4 Collection, 5 EntityType. */
const COLLECTION = 4;
const ACTION = 0;

abstract class BulkRequest implements ExecuteRequest {
  protected abstract readonly message: 'UpsertMultiple' | 'UpdateMultiple' | 'CreateMultiple';

  /** `entityset` holds the table's logical name (as Microsoft's generated request classes do); `Targets` the records. */
  constructor(
    readonly entityset: string,
    readonly Targets: readonly Record<string, unknown>[],
  ) {}

  getMetadata(): RequestMetadata {
    return {
      boundParameter: 'entityset',
      parameterTypes: {
        entityset: { typeName: `mscrm.${this.entityset}`, structuralProperty: COLLECTION },
        Targets: { typeName: 'Collection(mscrm.crmbaseentity)', structuralProperty: COLLECTION },
      },
      operationType: ACTION,
      operationName: this.message,
    };
  }
}

/** Creates the targets that do not exist and updates those that do, matched by primary key or `@odata.id` alternate key. */
export class UpsertMultipleRequest extends BulkRequest {
  protected readonly message = 'UpsertMultiple' as const;
}

/** Updates existing targets (each carries its primary key); all or nothing on a standard table. */
export class UpdateMultipleRequest extends BulkRequest {
  protected readonly message = 'UpdateMultiple' as const;
}
