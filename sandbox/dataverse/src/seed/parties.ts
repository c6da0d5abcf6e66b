/**
 * Rows for organisations and people: accounts (customers, vendors, cell sites), contacts and licensed users.
 * Shared by the telecom and scale seeds so both produce the same shapes.
 */
import { account, businessunit, contact, pricelevel, systemuser, transactioncurrency } from '@pfb/domain';
import { SANDBOX_BUSINESS_UNIT_ID } from './baseline';
import { ref, row } from './build';
import type { ReferenceIds, Currency } from './referenceData';
import type { SeedRecord } from './types';

export interface AccountSpec {
  readonly name: string;
  readonly number: string;
  readonly street: string;
  readonly city: string;
  readonly state: string;
  readonly postcode: string;
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
  readonly currency: Currency;
  /** account.customertypecode. */
  readonly type: number;
  readonly parentId?: string;
  readonly phone?: string;
  readonly email?: string;
}

/** An account priced and invoiced in its own currency, with the matching field price list as its default. */
export function accountRow(id: string, a: AccountSpec, refs: ReferenceIds): SeedRecord {
  return row(account, id, {
    name: a.name,
    accountnumber: a.number,
    telephone1: a.phone ?? null,
    emailaddress1: a.email ?? null,
    address1_line1: a.street,
    address1_city: a.city,
    address1_stateorprovince: a.state,
    address1_postalcode: a.postcode,
    address1_country: a.country,
    address1_latitude: a.lat,
    address1_longitude: a.lon,
    parentaccountid: a.parentId ? ref(account, a.parentId) : null,
    defaultpricelevelid: ref(pricelevel, refs.priceLists[a.currency]),
    transactioncurrencyid: ref(transactioncurrency, refs.currencies[a.currency]),
    customertypecode: a.type,
  });
}

export interface PersonSpec {
  readonly first: string;
  readonly last: string;
  readonly title?: string;
}

/** `first.last@domain`, lower case, apostrophes dropped (O'Connor → oconnor). */
export function emailOf(p: PersonSpec, domain: string): string {
  return `${p.first}.${p.last}@${domain}`.toLowerCase().replace(/[^a-z0-9.@-]/g, '');
}

export function contactRow(id: string, p: PersonSpec, organisationId: string, domain: string, phone: string): SeedRecord {
  return row(contact, id, {
    firstname: p.first,
    lastname: p.last,
    fullname: `${p.first} ${p.last}`,
    emailaddress1: emailOf(p, domain),
    telephone1: phone,
    jobtitle: p.title ?? null,
    parentcustomerid: ref(account, organisationId),
  });
}

/** A licensed user in the root business unit, signing in as first.last@ the sandbox tenant. */
export function userRow(id: string, p: PersonSpec, entraObjectId: string): SeedRecord {
  const upn = emailOf(p, 'pfbsandbox.onmicrosoft.com');
  return row(systemuser, id, {
    firstname: p.first,
    lastname: p.last,
    fullname: `${p.first} ${p.last}`,
    domainname: upn,
    internalemailaddress: upn,
    azureactivedirectoryobjectid: entraObjectId,
    applicationid: null,
    isdisabled: false,
    businessunitid: ref(businessunit, SANDBOX_BUSINESS_UNIT_ID),
  });
}
