/**
 * Capability class of a prompt (coding, math, agentic, security, writing, chat, other) from
 * evidence a reader would use: domain vocabulary (strong cues are unambiguous domain words, in
 * English here and in eight other languages in capability-languages.ts; weak cues merely lean),
 * text shape (code punctuation, formulas, numbers in a word problem) and request fields (tools
 * declared, tool results returned). The strongest class above a floor
 * wins; with no clear domain the prompt is chat (conversational) or other (a task outside these
 * domains, e.g. classification or general knowledge).
 */
import { STRONG_CUES as OTHER_LANGUAGES } from './capability-languages.js';
import { registerCues } from './lexicon.js';
import type { TextProfile } from './tokens.js';
import type { Capability } from './types.js';

type Domain = 'security' | 'agentic' | 'coding' | 'math' | 'writing';

const CUES: Record<Domain, { strong: readonly string[]; weak: readonly string[] }> = {
  security: {
    strong: [
      'exploit',
      'exploits',
      'vulnerability',
      'vulnerabilities',
      'malware',
      'ransomware',
      'rootkit',
      'keylogger',
      'botnet',
      'backdoor',
      'ctf',
      'capture the flag',
      'shellcode',
      'xss',
      'cross site scripting',
      'sql injection',
      'command injection',
      'buffer overflow',
      'phishing',
      'cve',
      'pentest',
      'pentesting',
      'penetration test',
      'penetration testing',
      'reverse engineer',
      'reverse engineering',
      'privilege escalation',
      'metasploit',
      'nmap',
      'ddos',
      'zero day',
      'payload',
      'red team',
      'threat model',
      'cybersecurity',
    ],
    weak: [
      'hack',
      'hacking',
      'hacker',
      'password',
      'passwords',
      'attack',
      'attacker',
      'security',
      'encryption',
      'decrypt',
      'firewall',
      'bypass',
      'crack',
      'cipher',
      'injection',
      'overflow',
      'virus',
      'trojan',
      'intrusion',
      'jailbreak',
      'obfuscate',
      'brute force',
      'secure',
    ],
  },
  agentic: {
    strong: [
      'agent',
      'agents',
      'tool call',
      'tool calls',
      'function calling',
      'call the function',
      'use the tool',
      'available tools',
      'available functions',
      'search the web',
      'browse the web',
      'web search',
      'run the command',
      'next action',
      'observation',
      'autonomous',
      'autonomously',
      'plan and execute',
      'multi step task',
    ],
    weak: [
      'tool',
      'tools',
      'browse',
      'browser',
      'execute',
      'terminal',
      'workflow',
      'automate',
      'click',
      'navigate',
    ],
  },
  coding: {
    strong: [
      'code',
      'coding',
      'python',
      'javascript',
      'typescript',
      'java',
      'golang',
      'rust',
      'kotlin',
      'swift',
      'php',
      'sql',
      'mysql',
      'postgresql',
      'html',
      'css',
      'json',
      'regex',
      'regular expression',
      'bash',
      'powershell',
      'react',
      'django',
      'flask',
      'pandas',
      'numpy',
      'nodejs',
      'node js',
      'programming',
      'program',
      'algorithm',
      'compile',
      'compiler',
      'debug',
      'stack trace',
      'source code',
      'data structure',
      'linked list',
      'binary tree',
      'hash table',
      'unit test',
      'refactor',
      'api',
      'function',
      'functions',
      'script',
      'class',
      'array',
      'arrays',
      'recursion',
      'recursive',
      'git',
      'docker',
      'kubernetes',
      'linux',
      'npm',
      'database',
      'query',
      'snippet',
      'loop',
    ],
    weak: [
      'variable',
      'method',
      'object',
      'string',
      'strings',
      'integer',
      'integers',
      'boolean',
      'list',
      'input',
      'output',
      'returns',
      'return',
      'print',
      'prints',
      'implement',
      'syntax',
      'bug',
      'error',
      'exception',
      'library',
      'server',
      'dictionary',
      'sort',
      'element',
      'elements',
      'table',
      'formula',
      'excel',
      'spreadsheet',
      'file',
    ],
  },
  math: {
    strong: [
      'solve',
      'equation',
      'equations',
      'probability',
      'integral',
      'derivative',
      'theorem',
      'polynomial',
      'factorial',
      'square root',
      'logarithm',
      'algebra',
      'calculus',
      'arithmetic',
      'geometry',
      'math',
      'maths',
      'mathematics',
      'mathematical',
      'times as many',
      'times as much',
      'twice as',
      'half as',
      'what percentage',
      'what percent',
      'how many more',
      'how much more',
      'how many less',
      'in total',
    ],
    weak: [
      'calculate',
      'compute',
      'how many',
      'how much',
      'how old',
      'how long',
      'total',
      'sum',
      'percent',
      'percentage',
      'fraction',
      'ratio',
      'average',
      'prove',
      'proof',
      'matrix',
      'vector',
      'prime',
      'divisible',
      'remainder',
      'triangle',
      'circle',
      'area',
      'perimeter',
      'volume',
      'angle',
      'each',
      'per',
      'cost',
      'costs',
      'dollars',
      'cents',
      'left',
      'remaining',
      'altogether',
      'more than',
      'less than',
      'half',
      'twice',
      'number',
      'numbers',
    ],
  },
  writing: {
    strong: [
      'poem',
      'poems',
      'poetry',
      'haiku',
      'sonnet',
      'limerick',
      'lyrics',
      'song',
      'rap',
      'story',
      'stories',
      'short story',
      'essay',
      'letter',
      'cover letter',
      'email',
      'blog',
      'blog post',
      'article',
      'headline',
      'slogan',
      'tagline',
      'tweet',
      'caption',
      'speech',
      'novel',
      'screenplay',
      'dialogue',
      'joke',
      'summarize',
      'summarise',
      'summary',
      'paraphrase',
      'rephrase',
      'rewrite',
      'proofread',
      'translate',
      'translation',
      'product description',
      'tone',
      'synonym',
      'synonyms',
      'antonym',
      'grammatically',
      'grammar',
    ],
    weak: [
      'write',
      'sentence',
      'sentences',
      'paragraph',
      'formal',
      'persuasive',
      'creative',
      'character',
      'plot',
      'description',
      'describe',
      'title',
      'words',
      'word',
      'outline',
      'introduction',
      'conclusion',
      'narrative',
      'message',
      'thread',
      'post',
      'text',
      'phrase',
      'edit',
    ],
  },
};

const DOMAINS = Object.keys(CUES) as Domain[];
const LEX = registerCues(
  'capability',
  Object.fromEntries(
    DOMAINS.flatMap((d) => [
      // The lexicon refuses a phrase listed twice (it would count twice), so overlaps cannot slip in.
      [`${d}.strong`, [...CUES[d].strong, ...OTHER_LANGUAGES[d]]] as const,
      [`${d}.weak`, CUES[d].weak] as const,
    ]),
  ),
);
const STRONG = DOMAINS.map((d) => LEX.index(`${d}.strong`));
const WEAK = DOMAINS.map((d) => LEX.index(`${d}.weak`));

/** What the classifier needs besides the words. */
export interface CapabilityContext {
  toolCount: number;
  /** The last turn is a tool result (an agent loop). */
  fromTool: boolean;
  /** Earlier turns show tool calls or tool results (an agent loop, even if the last turn is text). */
  agentLoop?: boolean;
  /** Dataset-style score of the turn (decides chat vs other when no domain wins). */
  datasetStyle: number;
  /** The turn contains a fenced code block. */
  codeFence: boolean;
}

/** Evidence a domain needs before it beats the chat/other default: one strong cue suffices. */
const FLOOR = 1.2;
const STRONG_WEIGHT = 1.5;
const WEAK_WEIGHT = 0.4;

/** Cue evidence of domain `d` from the shared cue counts (a module function: no closure per call). */
function cue(counts: Int32Array, d: number): number {
  return Math.min(counts[STRONG[d]!]!, 3) * STRONG_WEIGHT + Math.min(counts[WEAK[d]!]!, 4) * WEAK_WEIGHT;
}

/**
 * Evidence per domain, in DOMAINS order (security, agentic, coding, math, writing).
 *
 * @example
 * capabilityEvidence(profileText('Write a haiku about rain'),
 *   { toolCount: 0, fromTool: false, datasetStyle: 0.8, codeFence: false }); // [0, 0, 0, 0, 1.9]
 */
export function capabilityEvidence(profile: TextProfile, ctx: CapabilityContext): number[] {
  const c = LEX.count(profile);
  const chars = Math.max(profile.chars, 1);
  const codeDensity = profile.codeChars / chars;
  const words = Math.max(profile.words, 1);
  return [
    cue(c, 0),
    cue(c, 1) + (ctx.toolCount > 0 ? 2.5 : 0) + (ctx.fromTool ? 3 : ctx.agentLoop === true ? 2 : 0),
    cue(c, 2) + (ctx.codeFence ? 2 : 0) + (codeDensity > 0.015 ? 1 + Math.min(codeDensity * 20, 1.5) : 0),
    // A word problem: several numbers plus a quantity question.
    cue(c, 3) +
      Math.min(profile.numbers, 4) * 0.25 +
      (profile.mathChars > 1 ? Math.min(profile.mathChars / words, 0.5) * 4 : 0),
    cue(c, 4),
  ];
}

/**
 * Classifies the last user turn. Security outranks the others when clearly present (an exploit
 * request is security even when it contains code).
 *
 * @example
 * capability(profileText('Write a Python function that reverses a linked list.'),
 *   { toolCount: 0, fromTool: false, datasetStyle: 0.8, codeFence: false }); // 'coding'
 */
export function capability(profile: TextProfile, ctx: CapabilityContext): Capability {
  const evidence = capabilityEvidence(profile, ctx);
  if (evidence[0]! >= STRONG_WEIGHT) return 'security';
  let best: Capability = ctx.datasetStyle >= 0.5 ? 'other' : 'chat';
  let bestScore = FLOOR;
  for (let d = 0; d < DOMAINS.length; d++) {
    if (evidence[d]! > bestScore) {
      best = DOMAINS[d]!;
      bestScore = evidence[d]!;
    }
  }
  return best;
}
