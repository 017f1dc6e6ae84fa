/**
 * A refusal by the account/key services that the caller should show to a person: the admin API
 * maps `kind` to an HTTP status, the `keys` command to a usage error. Anything else thrown by a
 * service is a bug.
 */
export type ServiceErrorKind = 'invalid' | 'not_found' | 'conflict';

const STATUS: Record<ServiceErrorKind, number> = { invalid: 400, not_found: 404, conflict: 409 };

/**
 * @example
 * throw new ServiceError('not_found', 'no key with id "abc"');
 */
export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(
    readonly kind: ServiceErrorKind,
    message: string,
  ) {
    super(message);
  }

  /** HTTP status for this kind of refusal. */
  get status(): number {
    return STATUS[this.kind];
  }
}
