/**
 * Dataverse-shaped errors. The Web API answers `{"error":{"code":"0x…","message":"…"}}`; the code "is not related
 * to the http status code" (compose-http-requests-handle-errors). Codes below are the platform's own hex codes
 * for each situation, so clients that branch on them behave as they would against a real environment.
 */

export interface ErrorBody {
  error: { code: string; message: string; [annotation: string]: unknown };
}

export class DataverseError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DataverseError';
  }

  toBody(includeAnnotations = false): ErrorBody {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (includeAnnotations) {
      // The annotations of compose-http-requests-handle-errors ("Include more details with errors"), in its order.
      const numeric = Number.parseInt(this.code.replace(/^0x/i, ''), 16);
      body.error['@Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus'] = '1';
      body.error['@Microsoft.PowerApps.CDS.ErrorDetails.SubErrorCode'] = Number.isNaN(numeric) ? '0' : String(numeric | 0);
      body.error['@Microsoft.PowerApps.CDS.HelpLink'] = `http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a${this.code.replace(/^0x/i, '')}&client=platform`;
      body.error['@Microsoft.PowerApps.CDS.TraceText'] = `\r\n[local dataverse]\r\n ${this.message}\r\n`;
      body.error['@Microsoft.PowerApps.CDS.InnerError.Message'] = this.message;
    }
    return body;
  }
}

/** Error codes (ErrorCodes class of the SDK) with the message Dataverse words them with. */
export const errors = {
  unauthorized: () => new DataverseError(401, '', 'Authorization header is missing or is not a Bearer token.', { 'WWW-Authenticate': 'Bearer authorization_uri=http://127.0.0.1/local/oauth2/authorize' }),
  notFound: (logicalName: string, id: string) =>
    new DataverseError(404, '0x80040217', `${logicalName} With Id = ${id} Does Not Exist`),
  notFoundByKey: (logicalName: string, _keys: string) =>
    new DataverseError(404, '0x80040217', `A record with the specified key values does not exist in ${logicalName} entity`),
  resourceNotFound: (segment: string) =>
    new DataverseError(404, '0x8006088a', `Resource not found for the segment '${segment}'.`),
  duplicateKey: (logicalName: string, key: string) =>
    new DataverseError(412, '0x80060892', `A record that has the attribute values ${key} already exists. The entity key ${logicalName} requires that this set of attributes contains unique values. Select unique values and try again.`),
  duplicateRecord: (logicalName: string, id: string) =>
    new DataverseError(412, '0x80040237', `A record with matching key values already exists. (${logicalName} ${id})`),
  alreadyExists: () => new DataverseError(412, '0x80040237', 'A record with matching key values already exists.'),
  concurrencyVersionMismatch: () =>
    new DataverseError(412, '0x80060882', 'The version of the existing record doesn\'t match the RowVersion property provided.'),
  propertyNotFound: (property: string, logicalName: string) =>
    new DataverseError(400, '0x80060888', `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${logicalName}'.`),
  badRequest: (message: string, code = '0x80060888') => new DataverseError(400, code, message),
  invalidArgument: (message: string) => new DataverseError(400, '0x80040203', message),
  requiredFieldMissing: (logicalName: string, column: string) =>
    new DataverseError(400, '0x80040200', `Attribute '${column}' cannot be NULL: ${logicalName}.${column} is required (SystemRequired).`),
  invalidStatusTransition: (logicalName: string, message: string) =>
    new DataverseError(400, '0x80040203', `Invalid status transition on ${logicalName}: ${message}`),
  valueOutOfRange: (column: string, message: string) => new DataverseError(400, '0x80044331', `A validation error occurred. The value of '${column}' ${message}`),
  invalidOptionValue: (logicalName: string, column: string, value: unknown) =>
    new DataverseError(400, '0x8004431a', `${value} is not a valid value for ${logicalName}.${column}: the value is not among the options of the choice.`),
  skipNotSupported: () =>
    new DataverseError(400, '0x80060888', 'The query parameter $skip is not supported'),
  methodNotAllowed: (method: string, segment: string) =>
    new DataverseError(405, '0x80060888', `The HTTP method '${method}' is not allowed for the segment '${segment}'.`),
  /** Project Operations refuses plain writes of scheduling tables (psa-project-operations-changes). */
  schedulingEntity: (logicalName: string, operation: string) =>
    new DataverseError(
      400,
      '0x80040265',
      `${operation} of ${logicalName} is not supported through the Dataverse API in Project Operations. Use the Project schedule APIs (msdyn_CreateOperationSetV1, msdyn_PssCreateV1/msdyn_PssUpdateV1/msdyn_PssDeleteV1, msdyn_ExecuteOperationSetV1).`,
    ),
  /** Service protection (api-limits): 429 with Retry-After in seconds. */
  tooManyRequests: (limit = 6000, windowSeconds = 300) =>
    new DataverseError(429, '0x80072322', `Number of requests exceeded the limit of ${limit} over time window of ${windowSeconds} seconds.`),
  executionTimeExceeded: (limitMs = 1_200_000, windowSeconds = 300) =>
    new DataverseError(
      429,
      '0x80072321',
      `Combined execution time of incoming requests exceeded limit of ${limitMs.toLocaleString('en-US')} milliseconds over time window of ${windowSeconds} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`,
    ),
  concurrencyExceeded: (limit = 52) =>
    new DataverseError(429, '0x80072326', `Number of concurrent requests exceeded the limit of ${limit}.`),
  payloadTooLarge: () => new DataverseError(413, '0x80040216', 'The request body exceeds the maximum allowed size.'),
  unsupportedMessage: (name: string) =>
    new DataverseError(404, '0x80060888', `Resource not found for the segment '${name}'.`),
  internal: (message: string) => new DataverseError(500, '0x80040216', message),
};
