/** A stored account as the contract's account record (what the detector and `analyze` read). */
import type { AccountRecord } from '../contract/types.js';
import type { AccountRow } from './types.js';

/**
 * The sign-up and payment facts of a stored account, in the contract's shape.
 *
 * @example
 * toAccountRecord(await store.getAccount('acct_1')); // { account_id: 'acct_1', created_at: …, verified: true }
 */
export function toAccountRecord(row: AccountRow): AccountRecord {
  const record: AccountRecord = { account_id: row.id, created_at: row.created_at, verified: row.verified };
  if (row.org_id !== null) record.org_id = row.org_id;
  if (row.signup_channel !== null) record.signup_channel = row.signup_channel;
  if (row.payment_fingerprint !== null) record.payment_fingerprint = row.payment_fingerprint;
  if (row.email_domain !== null) record.email_domain = row.email_domain;
  if (row.signup_ip !== null) record.signup_ip = row.signup_ip;
  return record;
}
