/**
 * SDK message ids are the same in every Dataverse organization: a solution's step files refer to their message by
 * id only (`<SdkMessageId>`), so a package and the organization importing it must agree on them. These are the
 * ids Microsoft prints for the table messages ("Message support for tables", the sdkmessagefilters sample response
 * for account; the Create id also appears in the exported step in ../shared/reference/dataverse-exports/sdk-step).
 */
export const SDK_MESSAGE_IDS_DOCUMENTED = {
  Assign: '8cbdbb1b-ea3e-db11-86a7-000a3a5473e8',
  Create: '9ebdbb1b-ea3e-db11-86a7-000a3a5473e8',
  Delete: 'a1bdbb1b-ea3e-db11-86a7-000a3a5473e8',
  Retrieve: 'f2bdbb1b-ea3e-db11-86a7-000a3a5473e8',
  RetrieveMultiple: '03bebb1b-ea3e-db11-86a7-000a3a5473e8',
  SetState: '1cbebb1b-ea3e-db11-86a7-000a3a5473e8',
  Update: '20bebb1b-ea3e-db11-86a7-000a3a5473e8',
} as const;

export type DocumentedSdkMessage = keyof typeof SDK_MESSAGE_IDS_DOCUMENTED;

/** serviceendpoint's ObjectTypeCode: a step's `<EventHandlerTypeCode>` when a webhook handles it (4602 is a plug-in type). */
export const SERVICE_ENDPOINT_TYPE_CODE = 4618;
