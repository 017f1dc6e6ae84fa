/**
 * Client fingerprint features: user-agent family, the kind of network the address belongs to
 * (from the ASN organisation's name) and the /24 (IPv4) or /48 (IPv6) subnet. Names are matched
 * by generic cues (hosting, cloud, proxy, university, broadband…) plus a few dominant providers,
 * not by any one data set's spelling.
 */
import { isIP } from 'node:net';
import { BoundedCache } from './bounded-cache.js';
import type { AsnKind } from './types.js';

/** Ordered: the first family whose needle occurs in the lower-cased user agent wins. */
const UA_FAMILIES: readonly (readonly [needle: string, family: string])[] = [
  ['openai/python', 'openai-python'],
  ['openai-python', 'openai-python'],
  ['openai/js', 'openai-node'],
  ['openai-node', 'openai-node'],
  ['anthropic-python', 'anthropic-python'],
  ['anthropic/python', 'anthropic-python'],
  ['anthropic-typescript', 'anthropic-node'],
  ['anthropic/js', 'anthropic-node'],
  ['anthropic-sdk', 'anthropic-sdk'],
  ['litellm', 'litellm'],
  ['langchain', 'langchain'],
  ['llama-index', 'llamaindex'],
  ['llamaindex', 'llamaindex'],
  ['python-requests', 'python-requests'],
  ['python-httpx', 'python-httpx'],
  ['aiohttp', 'python-aiohttp'],
  ['python-urllib', 'python-urllib'],
  ['python/', 'python'],
  ['curl/', 'curl'],
  ['wget', 'wget'],
  ['go-http-client', 'go'],
  ['okhttp', 'okhttp'],
  ['axios', 'axios'],
  ['node-fetch', 'node-fetch'],
  ['undici', 'node'],
  ['node/', 'node'],
  ['postmanruntime', 'postman'],
  ['insomnia', 'insomnia'],
  ['java/', 'java'],
  ['apache-httpclient', 'java'],
  ['ruby', 'ruby'],
  ['guzzle', 'php'],
  ['php', 'php'],
  ['reqwest', 'rust'],
  ['dart', 'dart'],
  ['headlesschrome', 'headless-chrome'],
  ['bot', 'bot'],
  ['edg/', 'edge'],
  ['opr/', 'opera'],
  ['firefox/', 'firefox'],
  ['chrome/', 'chrome'],
  ['crios/', 'chrome'],
  ['safari/', 'safari'],
];

/** Most entries each lookup cache keeps; it is emptied when full (traffic repeats a few thousand names). */
const CACHE_MAX = 4096;
/** Longest key cached: a log line may carry a megabyte header, and 4,096 of those must not stay in memory. */
const CACHE_KEY_CHARS = 512;

const uaCache = new BoundedCache<string>(CACHE_MAX, CACHE_KEY_CHARS);

function classifyUa(userAgent: string): string {
  if (userAgent.trim() === '') return 'unknown';
  const ua = userAgent.length > 512 ? userAgent.slice(0, 512).toLowerCase() : userAgent.toLowerCase();
  for (const [needle, family] of UA_FAMILIES) if (ua.includes(needle)) return family;
  return 'other';
}

/**
 * User-agent family: an SDK, HTTP library, tool or browser name; "unknown" when the header is
 * absent or empty, "other" when present but unrecognised. Cached per header value: lower-casing
 * and scanning 40-odd needles was 1.7% of analyze on a simulated stream.
 *
 * @example
 * uaFamily('OpenAI/Python 1.54.3'); // 'openai-python'
 * uaFamily('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36'); // 'chrome'
 * uaFamily(undefined); // 'unknown'
 */
export function uaFamily(userAgent: string | undefined): string {
  if (userAgent === undefined) return 'unknown';
  return uaCache.get(userAgent, classifyUa);
}

/** Word cues per kind, checked in this order (proxy networks often register as hosting). */
const ASN_CUES: readonly (readonly [AsnKind, readonly string[]])[] = [
  [
    'proxy',
    [
      'proxy',
      'vpn',
      'luminati',
      'bright data',
      'brightdata',
      'oxylabs',
      'smartproxy',
      'iproyal',
      'packetstream',
      'netnut',
      'soax',
      'geonode',
      'rayobyte',
      'storm proxies',
      'tor exit',
      'anonymi',
      'private internet access',
      'nordvpn',
      'expressvpn',
      'mullvad',
      'surfshark',
      'proton ag',
      'tunnel',
    ],
  ],
  [
    'education',
    [
      'university',
      'universit',
      'universidad',
      'universidade',
      'college',
      'school',
      'academ',
      'institute of technology',
      'polytechn',
      'research and education',
      'research',
      'forschung',
      'recherche',
      // National research and education networks (NRENs).
      'nren',
      'jisc',
      'janet',
      'internet2',
      'geant',
      'renater',
      'surfnet',
      'garr',
      'rediris',
      'aarnet',
      'canarie',
      'cernet',
      'research network',
      'edu',
      'campus',
      'hochschule',
      'ecole',
    ],
  ],
  [
    'hosting',
    [
      'amazon',
      'aws',
      'google cloud',
      'google llc',
      'microsoft',
      'azure',
      'digitalocean',
      'digital ocean',
      'linode',
      'akamai',
      'ovh',
      'hetzner',
      'vultr',
      'choopa',
      'contabo',
      'alibaba',
      'aliyun',
      'tencent',
      'oracle',
      'ibm',
      'softlayer',
      'cloudflare',
      'leaseweb',
      'scaleway',
      'online s a s',
      'm247',
      'fastly',
      'hosting',
      'host',
      'cloud',
      'datacenter',
      'data center',
      'data centre',
      'server',
      'vps',
      'colocation',
      'dedicated',
      'compute',
      'hyperscale',
      'cdn',
    ],
  ],
  ['mobile', ['mobile', 'wireless', 'cellular', 'lte', '5g', 'gsm', 't-mobile', 'vodafone', 'mobil']],
  [
    'residential',
    [
      'comcast',
      'kddi',
      'ntt',
      'softbank',
      'telus',
      'bell canada',
      'optus',
      'singtel',
      'movistar',
      'charter',
      'spectrum',
      'cox comm',
      'verizon',
      'at&t',
      'centurylink',
      'lumen',
      'frontier',
      'telecom',
      'telekom',
      'telefonica',
      'telstra',
      'broadband',
      'cable',
      'fiber',
      'fibre',
      'dsl',
      'isp',
      'internet service',
      'communications',
      'telecommunication',
      'telco',
      'orange',
      'virgin media',
      'sky uk',
      'british telecom',
      'bt ',
      'jio',
      'airtel',
      'chinanet',
      'china unicom',
      'kabel',
      'residential',
      'home',
    ],
  ],
  ['business', ['bank', 'enterprise', 'corporate', 'insurance', 'government', 'ministry', 'hospital']],
];

/** Dominant cloud ASNs, for events that carry a number but no organisation name. */
const HOSTING_ASNS = new Set([
  16509, 14618, 8987, 15169, 396982, 19527, 8075, 8068, 14061, 63949, 16276, 24940, 20473, 51167, 45102,
  37963, 132203, 31898, 13335, 60781, 12876, 9009, 36352, 54113,
]);

const asnCache = new BoundedCache<AsnKind>(CACHE_MAX, CACHE_KEY_CHARS);

const NON_WORD = /[^a-z0-9&]+/g;

/** Cues match at the start of a word ("edu" matches "education", not "schedule"). */
function classifyOrg(whole: string): AsnKind {
  const org = whole.length > 200 ? whole.slice(0, 200) : whole;
  const name = ` ${org.toLowerCase().replace(NON_WORD, ' ')} `;
  for (const [kind, cues] of ASN_CUES) {
    for (const cue of cues) if (name.includes(` ${cue}`)) return kind;
  }
  return 'unknown';
}

/**
 * Network kind from the ASN organisation name (cached: events repeat a few thousand names).
 *
 * @example
 * asnKind(16509, 'AMAZON-02'); // 'hosting'
 * asnKind(7922, 'Comcast Cable Communications, LLC'); // 'residential'
 * asnKind(undefined, 'Bright Data Ltd.'); // 'proxy'
 */
export function asnKind(asn: number | undefined, asnOrg: string | undefined): AsnKind {
  if (asnOrg !== undefined && asnOrg !== '') {
    const kind = asnCache.get(asnOrg, classifyOrg);
    if (kind !== 'unknown') return kind;
  }
  if (asn !== undefined && HOSTING_ASNS.has(asn)) return 'hosting';
  return 'unknown';
}

function expandIpv6(ip: string): number[] | undefined {
  const zone = ip.indexOf('%');
  const addr = zone >= 0 ? ip.slice(0, zone) : ip;
  const halves = addr.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const head = parse(halves[0] ?? '');
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined;
  const groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/**
 * The client's /24 (IPv4) or /48 (IPv6) network in CIDR form; IPv4-mapped IPv6 counts as IPv4.
 * Returns "invalid" for anything that is not an IP address.
 *
 * @example
 * subnetOf('203.0.113.57'); // '203.0.113.0/24'
 * subnetOf('2001:db8:abcd:12::1'); // '2001:db8:abcd::/48'
 * subnetOf('::ffff:198.51.100.7'); // '198.51.100.0/24'
 */
export function subnetOf(ip: string): string {
  if (ip.length > 64) return 'invalid'; // no address is longer (IPv6 with zone ≈ 50); skip parsing junk
  const version = isIP(ip);
  if (version === 4) {
    const end = ip.lastIndexOf('.');
    return `${ip.slice(0, end)}.0/24`;
  }
  if (version !== 6) return 'invalid';
  const lower = ip.toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  if (mapped?.[1] !== undefined) return subnetOf(mapped[1]);
  const groups = expandIpv6(lower);
  if (groups === undefined) return 'invalid';
  return `${groups
    .slice(0, 3)
    .map((g) => g.toString(16))
    .join(':')}::/48`;
}
