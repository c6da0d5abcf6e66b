/** The mobility app simulator (ticket API of functions-bridge/contracts/mobility-api.yaml over mutual TLS). */
export { startMobilitySimulator } from './mobilitySimulator';
export type { HandshakeFailure, MobilitySimulator, MobilitySimulatorOptions, RecordedRequest } from './mobilitySimulator';
export { parseFault } from './faults';
export type { Fault, FaultMode } from './faults';
export { TICKET_STATUSES } from './ticketContract';
export type { CancelRequest, StoredTicket, Ticket, TicketAddress, TicketReceipt, TicketStatus } from './ticketContract';
export { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from './problem';
export type { FieldProblem, Problem } from './problem';
export { validateCancel, validateTicket } from './validateTicket';
export { EXAMPLE_TICKET_ID, exampleTicket } from './exampleTicket';
export { planDay, SimulatedTechnicians } from './technicians';
export type { StageEvent, TechnicianFaults, TechniciansOptions, TechnicianStats, TicketSource } from './technicians';
