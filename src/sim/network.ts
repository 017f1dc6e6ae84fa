/**
 * Where simulated requests come from: address pools by network kind (residential ISPs, mobile
 * carriers, cloud/hosting, a commercial proxy pool, a university), and client fingerprints (user
 * agent and TLS JA4 string by client library). Prefixes are those the named networks announce,
 * so a subnet or ASN lookup on the output behaves as it would on real logs.
 */
import type { ClientInfo } from '../contract/types.js';
import type { Rng } from './rng.js';

/** One network: an ASN, its organisation, country, and /16 prefixes (first two octets). */
export interface Network {
  asn: number;
  org: string;
  country: string;
  prefixes: ReadonlyArray<readonly [number, number]>;
}

export const RESIDENTIAL: readonly Network[] = [
  {
    asn: 7922,
    org: 'Comcast Cable Communications, LLC',
    country: 'US',
    prefixes: [
      [73, 15],
      [98, 207],
      [24, 6],
    ],
  },
  {
    asn: 20115,
    org: 'Charter Communications',
    country: 'US',
    prefixes: [
      [71, 80],
      [97, 90],
      [174, 100],
    ],
  },
  {
    asn: 7018,
    org: 'AT&T Services, Inc.',
    country: 'US',
    prefixes: [
      [99, 40],
      [107, 204],
      [75, 20],
    ],
  },
  {
    asn: 701,
    org: 'Verizon Business',
    country: 'US',
    prefixes: [
      [72, 69],
      [100, 11],
      [108, 18],
    ],
  },
  {
    asn: 3320,
    org: 'Deutsche Telekom AG',
    country: 'DE',
    prefixes: [
      [79, 200],
      [87, 150],
      [93, 192],
    ],
  },
  {
    asn: 2856,
    org: 'British Telecommunications PLC',
    country: 'GB',
    prefixes: [
      [86, 150],
      [81, 129],
      [109, 150],
    ],
  },
  {
    asn: 3215,
    org: 'Orange S.A.',
    country: 'FR',
    prefixes: [
      [90, 30],
      [86, 210],
      [92, 184],
    ],
  },
  {
    asn: 9498,
    org: 'Bharti Airtel Ltd.',
    country: 'IN',
    prefixes: [
      [122, 161],
      [59, 144],
    ],
  },
  {
    asn: 4766,
    org: 'Korea Telecom',
    country: 'KR',
    prefixes: [
      [121, 130],
      [175, 200],
    ],
  },
  {
    asn: 2516,
    org: 'KDDI Corporation',
    country: 'JP',
    prefixes: [
      [106, 154],
      [111, 98],
    ],
  },
  {
    asn: 28573,
    org: 'Claro NXT Telecomunicacoes Ltda',
    country: 'BR',
    prefixes: [
      [177, 32],
      [191, 181],
    ],
  },
  {
    asn: 812,
    org: 'Rogers Communications Canada Inc.',
    country: 'CA',
    prefixes: [
      [99, 224],
      [174, 112],
    ],
  },
];

export const MOBILE: readonly Network[] = [
  {
    asn: 21928,
    org: 'T-Mobile USA, Inc.',
    country: 'US',
    prefixes: [
      [172, 56],
      [172, 58],
    ],
  },
  {
    asn: 22394,
    org: 'Verizon Wireless',
    country: 'US',
    prefixes: [
      [174, 192],
      [97, 128],
    ],
  },
  {
    asn: 55836,
    org: 'Reliance Jio Infocomm Limited',
    country: 'IN',
    prefixes: [
      [49, 36],
      [157, 32],
    ],
  },
];

export const HOSTING: readonly Network[] = [
  {
    asn: 16509,
    org: 'Amazon.com, Inc.',
    country: 'US',
    prefixes: [
      [3, 91],
      [18, 204],
      [52, 14],
      [54, 163],
    ],
  },
  {
    asn: 15169,
    org: 'Google LLC',
    country: 'US',
    prefixes: [
      [34, 82],
      [35, 199],
    ],
  },
  {
    asn: 8075,
    org: 'Microsoft Corporation',
    country: 'US',
    prefixes: [
      [20, 42],
      [40, 76],
    ],
  },
  {
    asn: 14061,
    org: 'DigitalOcean, LLC',
    country: 'US',
    prefixes: [
      [104, 131],
      [159, 203],
      [167, 99],
    ],
  },
  {
    asn: 24940,
    org: 'Hetzner Online GmbH',
    country: 'DE',
    prefixes: [
      [88, 198],
      [95, 216],
      [65, 108],
    ],
  },
  {
    asn: 16276,
    org: 'OVH SAS',
    country: 'FR',
    prefixes: [
      [51, 77],
      [51, 178],
    ],
  },
  {
    asn: 45102,
    org: 'Alibaba (US) Technology Co., Ltd.',
    country: 'SG',
    prefixes: [
      [47, 88],
      [8, 219],
    ],
  },
  {
    asn: 132203,
    org: 'Tencent Building, Kejizhongyi Avenue',
    country: 'HK',
    prefixes: [
      [43, 128],
      [43, 135],
    ],
  },
];

/**
 * The commercial proxy service both the hydra campaign and legitimate reseller customers use:
 * one ASN, a handful of /24s. Sharing it is exactly why an IP alone must never convict.
 */
export const PROXY_POOL: Network = {
  asn: 209854,
  org: 'Cyberzone Proxy Services S.A.',
  country: 'NL',
  prefixes: [
    [185, 220],
    [193, 233],
    [45, 134],
  ],
};
/** The /24s inside PROXY_POOL's prefixes that carry its exits (third octet). */
export const PROXY_SUBNETS: readonly number[] = [17, 41, 98, 130, 201, 222];

export const UNIVERSITIES: readonly Network[] = [
  { asn: 3, org: 'Massachusetts Institute of Technology', country: 'US', prefixes: [[18, 29]] },
  {
    asn: 786,
    org: 'Jisc Services Limited',
    country: 'GB',
    prefixes: [
      [129, 67],
      [131, 111],
    ],
  },
  {
    asn: 680,
    org: 'Verein zur Foerderung eines Deutschen Forschungsnetzes e.V.',
    country: 'DE',
    prefixes: [
      [141, 20],
      [134, 2],
    ],
  },
  {
    asn: 11537,
    org: 'Internet2',
    country: 'US',
    prefixes: [
      [128, 232],
      [171, 64],
    ],
  },
];

/**
 * A random address inside one of the network's prefixes.
 *
 * @example
 * const where = endpoint(rng, rng.pick(RESIDENTIAL)); // { ip: '73.15.x.y', asn: 7922, ... }
 */
export function endpoint(rng: Rng, net: Network, third?: number): ClientInfo {
  const [a, b] = rng.pick(net.prefixes);
  const c = third ?? rng.int(0, 255);
  return { ip: `${a}.${b}.${c}.${rng.int(2, 253)}`, asn: net.asn, asn_org: net.org, country: net.country };
}

/**
 * An exit of the shared commercial proxy pool (random /24 of its few, random host).
 *
 * @example
 * proxyExit(rng).asn; // 209854, the shared pool
 */
export function proxyExit(rng: Rng): ClientInfo {
  return endpoint(rng, PROXY_POOL, rng.pick(PROXY_SUBNETS));
}

/**
 * A residential address in a given country's ISPs when possible.
 *
 * @example
 * residential(rng, 'DE').asn_org; // 'Deutsche Telekom AG'
 */
export function residential(rng: Rng, country?: string): ClientInfo {
  const local = country === undefined ? RESIDENTIAL : RESIDENTIAL.filter((n) => n.country === country);
  return endpoint(rng, rng.pick(local.length > 0 ? local : RESIDENTIAL));
}

/** Client libraries whose fingerprints we emit. */
export type ClientFamily =
  | 'openai-python'
  | 'anthropic-python'
  | 'openai-node'
  | 'anthropic-node'
  | 'python-requests'
  | 'node-fetch'
  | 'curl'
  | 'chrome'
  | 'firefox'
  | 'safari';

const UA: Record<ClientFamily, readonly string[]> = {
  'openai-python': [
    'OpenAI/Python 1.54.4',
    'OpenAI/Python 1.58.1',
    'OpenAI/Python 1.61.0',
    'OpenAI/Python 1.40.6',
  ],
  'anthropic-python': ['Anthropic/Python 0.39.0', 'Anthropic/Python 0.42.0', 'Anthropic/Python 0.45.2'],
  'openai-node': ['OpenAI/JS 4.73.1', 'OpenAI/JS 4.77.0', 'OpenAI/JS 4.85.1'],
  'anthropic-node': ['Anthropic/JS 0.33.1', 'Anthropic/JS 0.36.3'],
  'python-requests': [
    'python-requests/2.31.0',
    'python-requests/2.32.3',
    'python-httpx/0.27.2',
    'aiohttp/3.9.5',
  ],
  'node-fetch': ['node-fetch/1.0 (+https://github.com/bitinn/node-fetch)', 'undici', 'axios/1.7.7'],
  curl: ['curl/8.5.0', 'curl/7.81.0', 'curl/8.7.1'],
  chrome: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  ],
  firefox: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
    'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
  ],
  safari: [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  ],
};

/** JA4 TLS fingerprints per stack: Python's ssl, Node's OpenSSL, curl, and browsers differ. */
const JA4: Record<ClientFamily, string> = {
  'openai-python': 't13d1812h2_85036bcba153_375ca2c5e164',
  'anthropic-python': 't13d1812h2_85036bcba153_375ca2c5e164',
  'python-requests': 't13d1811h1_85036bcba153_b26ce05bbdd6',
  'openai-node': 't13d1712h2_5b57614c22b0_3d5424432f57',
  'anthropic-node': 't13d1712h2_5b57614c22b0_3d5424432f57',
  'node-fetch': 't13d1711h1_5b57614c22b0_3d5424432f57',
  curl: 't13d3112h2_e8f1e7e78f70_6bebaf5329ac',
  chrome: 't13d1516h2_8daaf6152771_02713d6af862',
  firefox: 't13d1715h2_5b57614c22b0_5c2c66f702b0',
  safari: 't13d2014h2_a09f3c656075_14788d8d241b',
};

/** Browsers send requests through a web console or extension; they are not SDK clients. */
export const BROWSERS: readonly ClientFamily[] = ['chrome', 'firefox', 'safari'];

/**
 * A concrete client fingerprint for a library: one user-agent version, its JA4 string.
 *
 * @example
 * fingerprint(rng, 'openai-python'); // { user_agent: 'OpenAI/Python 1.58.1', tls_fingerprint: 't13d…' }
 */
export function fingerprint(rng: Rng, family: ClientFamily): { user_agent: string; tls_fingerprint: string } {
  return { user_agent: rng.pick(UA[family]), tls_fingerprint: JA4[family] };
}

/**
 * Which wire format a client library speaks.
 *
 * @example
 * apiOf('anthropic-python', rng); // 'anthropic.messages'
 */
export function apiOf(family: ClientFamily, rng: Rng): 'openai.chat' | 'anthropic.messages' {
  if (family.startsWith('anthropic')) return 'anthropic.messages';
  if (family.startsWith('openai')) return 'openai.chat';
  // Raw HTTP clients and browsers hit either endpoint.
  return rng.chance(0.5) ? 'openai.chat' : 'anthropic.messages';
}
