/** The mobility app: adapter interface, the HTTPS (mutual TLS) adapter, Key Vault certificate and errors. */
export type { CancelResult, HealthResult, MobilityAdapter, TicketVersion } from './mobilityAdapter';
export { TICKET_STATUSES, ticketReceiptSchema } from './ticket';
export type { Ticket, TicketAddress, TicketReceipt, TicketStatus } from './ticket';
export { IDEMPOTENCY_KEY_REUSED, MobilityError, isRetryable, mobilityErrorFromFailure, mobilityErrorFromResponse, redactSecrets } from './mobilityError';
export type { MobilityErrorInit, MobilityErrorKind, ProblemDetails } from './mobilityError';
export { PEM_CONTENT_TYPE, PKCS12_CONTENT_TYPE, decodeCertificateSecret, describeCredentials } from './certificateSecret';
export type { ClientCredentials } from './certificateSecret';
export { KeyVaultCertificateProvider } from './keyVaultCertificateProvider';
export type { CertificateProvider, KeyVaultCertificateProviderOptions, ProviderLog, SecretReader } from './keyVaultCertificateProvider';
export { HttpsMobilityAdapter } from './httpsMobilityAdapter';
export type { HttpsMobilityAdapterOptions } from './httpsMobilityAdapter';
export { createMobilityAdapter } from './createMobilityAdapter';
export type { MobilityAdapterOverrides, MobilitySettings } from './createMobilityAdapter';
