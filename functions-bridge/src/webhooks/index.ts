/** The Dataverse webhook edge: key check, body limits, RemoteExecutionContext parsing, problem answers. */
export { checkWebhookKey, keysMatch, presentedKey, FUNCTION_KEY_HEADER } from './webhookKey';
export type { KeyedRequest, WebhookKeyCheck } from './webhookKey';
export {
  parseRemoteExecutionContext,
  parseDataContractDate,
  fromDataContract,
  headerValue,
  WebhookPayloadError,
  SIZE_EXCEEDED_HEADER,
} from './remoteExecutionContext';
export type { ParsedExecutionContext, EntityReferenceValue, EntityValue, HeadersLike } from './remoteExecutionContext';
export { readJsonBody, MAX_WEBHOOK_BODY_BYTES } from './requestBody';
export type { BodyRead, BodyRequest } from './requestBody';
export { problemResponse, PROBLEM_CONTENT_TYPE } from './problem';
export type { Problem } from './problem';
