/** Who is calling and what the current operation has queued for after commit. */
import type { Attributes, EntityReference } from '../store/types';

export interface Caller {
  readonly userId: string;
  readonly businessUnitId: string;
  /** Application users cannot call the Project schedule APIs (schedule-api-preview, "Limitations"). */
  readonly isApplicationUser: boolean;
}

/** A post-operation event that a registered step may turn into a webhook once the transaction commits. */
export interface OperationEvent {
  readonly messageName: string;
  readonly table: string;
  readonly id: string;
  /** What the caller sent (Create/Update) or the reference (Delete). */
  readonly target: Attributes | EntityReference;
  readonly preImage?: Attributes;
  readonly postImage?: Attributes;
  readonly depth: number;
  readonly correlationId: string;
  readonly operationCreatedOn: Date;
  readonly outputId?: string;
}

export interface OperationContext {
  readonly caller: Caller;
  readonly correlationId: string;
  /** 1 for a caller's request; plug-in side effects run one deeper, as in Dataverse. */
  depth: number;
  /** Filled during the transaction, handed to the webhook dispatcher after commit, dropped on rollback. */
  readonly events: OperationEvent[];
  /** Set by the schedule-API engine, the seed and platform side effects: may write scheduling tables. */
  readonly trusted?: boolean;
}
