/**
 * Where a request came from, for the exchange event. The socket's peer address is the truth
 * unless the gateway sits behind an edge it trusts (`trustProxy` in config): only then are the
 * client IP, ASN, country and TLS fingerprint headers believed, since any client can send them.
 */
import type { IncomingMessage } from 'node:http';
import type { ClientInfo } from '../../contract/types.js';
import type { TrustProxyConfig } from '../config.js';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first.trim();
}

function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/**
 * Builds the contract's `client` object for a request.
 *
 * @example
 * clientInfo(req, null); // { ip: '127.0.0.1', user_agent: 'curl/8.5.0' }
 */
export function clientInfo(req: IncomingMessage, trust: TrustProxyConfig | null): ClientInfo {
  const info: ClientInfo = { ip: normalizeIp(req.socket.remoteAddress ?? '0.0.0.0') };
  const agent = header(req, 'user-agent');
  if (agent !== undefined) info.user_agent = agent;
  if (trust === null) return info;
  // The edge appends the peer it saw, so the last entry is the one our trusted edge vouches for.
  const forwarded = header(req, trust.ipHeader);
  if (forwarded !== undefined) {
    const last = forwarded.split(',').at(-1)?.trim();
    if (last !== undefined && last !== '') info.ip = normalizeIp(last);
  }
  const asn = Number(header(req, trust.asnHeader)?.replace(/^AS/i, ''));
  if (Number.isInteger(asn) && asn > 0) info.asn = asn;
  const asnOrg = header(req, trust.asnOrgHeader);
  if (asnOrg !== undefined) info.asn_org = asnOrg;
  const country = header(req, trust.countryHeader);
  if (country !== undefined && /^[A-Za-z]{2}$/.test(country)) info.country = country.toUpperCase();
  const tls = header(req, trust.tlsFingerprintHeader);
  if (tls !== undefined) info.tls_fingerprint = tls;
  return info;
}
