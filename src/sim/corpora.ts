/**
 * Prompt corpora for the simulator: the real JSON Lines files under `<dataDir>/prompts`
 * (benign-*, distill-*, eval-*; see ../shared/data/README.md), or, when the directory is absent,
 * a small built-in template generator so `simulate` still runs anywhere. Files are read once,
 * synchronously: they total about 10 MB and every persona needs them before the first event.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from './rng.js';

/** A tool declaration as the corpora carry it (OpenAI function shape). */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** One conversation or prompt from a corpus; `turns` alternate user/assistant, user first. */
export interface CorpusItem {
  id: string;
  source: string;
  turns: Array<{ role: 'user' | 'assistant'; text: string }>;
  tools?: ToolSpec[];
}

/** The corpora grouped by what each simulated behaviour draws from. */
export interface Corpora {
  /** True when the built-in generator stood in for missing files. */
  builtIn: boolean;
  /** Where the data came from, for the summary. */
  origin: string;
  /** Real multi-turn conversations with answers (Chatbot Arena, OpenAssistant trees). */
  conversations: CorpusItem[];
  /** Real single user prompts (InstructionWild, single-turn OpenAssistant). */
  userPrompts: CorpusItem[];
  /** Distillation query sets by capability. */
  distill: { reasoning: CorpusItem[]; general: CorpusItem[]; coding: CorpusItem[]; tools: CorpusItem[] };
  /** Evaluation sets a legitimate harness sends. */
  evals: { gsm8k: CorpusItem[]; humaneval: CorpusItem[] };
}

/** Raised when a corpus file exists but cannot be used; the message names file and line. */
export class CorpusError extends Error {
  override name = 'CorpusError';
}

const FILES = {
  arena: 'benign-chatbot-arena.jsonl',
  openAssistant: 'benign-open-assistant.jsonl',
  instructionWild: 'benign-instructionwild.jsonl',
  alpaca: 'distill-alpaca.jsonl',
  gsm8kTrain: 'distill-gsm8k-train.jsonl',
  codeAlpaca: 'distill-code-alpaca.jsonl',
  toolcall: 'distill-toolcall.jsonl',
  gsm8kTest: 'eval-gsm8k-test.jsonl',
  humaneval: 'eval-humaneval.jsonl',
} as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseTools(raw: unknown): ToolSpec[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const tools: ToolSpec[] = [];
  for (const t of raw) {
    const fn = isRecord(t) && isRecord(t.function) ? t.function : undefined;
    if (fn === undefined || typeof fn.name !== 'string') continue;
    tools.push({
      name: fn.name,
      description: typeof fn.description === 'string' ? fn.description : '',
      parameters: isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
    });
  }
  return tools.length > 0 ? tools : undefined;
}

/**
 * Parses one corpus file's text (shape from ../shared/data/README.md). Blank lines are skipped;
 * anything else malformed is an error naming the line, since these files are fixed inputs.
 *
 * @example
 * parseCorpus('{"id":"a","source":"s","messages":[{"role":"user","content":"hi"}]}', 'x.jsonl');
 */
export function parseCorpus(text: string, name: string): CorpusItem[] {
  const items: CorpusItem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new CorpusError(`${name}:${i + 1}: not valid JSON`);
    }
    if (!isRecord(row) || !Array.isArray(row.messages))
      throw new CorpusError(`${name}:${i + 1}: expected an object with a "messages" array`);
    const turns: CorpusItem['turns'] = [];
    for (const m of row.messages) {
      if (!isRecord(m) || typeof m.content !== 'string' || (m.role !== 'user' && m.role !== 'assistant'))
        continue;
      const prev = turns[turns.length - 1];
      // Keep strict alternation: a repeated role merges into the previous turn.
      if (prev !== undefined && prev.role === m.role) prev.text += `\n\n${m.content}`;
      else turns.push({ role: m.role, text: m.content });
    }
    if (turns[0]?.role !== 'user')
      throw new CorpusError(`${name}:${i + 1}: conversation must start with a user turn`);
    const tools = parseTools(row.tools);
    items.push({
      id: typeof row.id === 'string' ? row.id : `${name}#${i + 1}`,
      source: typeof row.source === 'string' ? row.source : name,
      turns,
      ...(tools ? { tools } : {}),
    });
  }
  return items;
}

function userTurns(item: CorpusItem): number {
  return item.turns.filter((t) => t.role === 'user').length;
}

/**
 * Loads the corpora from `<dataDir>/prompts`, or the built-in generator when that directory is
 * missing. A directory that exists but lacks a file is an error (a half-present data set would
 * silently skew the benchmark).
 *
 * @example
 * const corpora = loadCorpora('../shared/data');
 * corpora.distill.reasoning.length; // 7473 with the real data
 */
export function loadCorpora(dataDir: string): Corpora {
  const dir = join(dataDir, 'prompts');
  if (!existsSync(dir)) return builtInCorpora();
  const read = (file: string): CorpusItem[] => {
    const path = join(dir, file);
    if (!existsSync(path)) throw new CorpusError(`${path}: missing (the data directory is incomplete)`);
    const items = parseCorpus(readFileSync(path, 'utf8'), path);
    if (items.length === 0) throw new CorpusError(`${path}: no conversations in it`);
    return items;
  };
  const arena = read(FILES.arena);
  const oasst = read(FILES.openAssistant);
  return {
    builtIn: false,
    origin: dir,
    conversations: [...arena, ...oasst].filter((c) => userTurns(c) > 1),
    userPrompts: [...read(FILES.instructionWild), ...oasst.filter((c) => userTurns(c) === 1)],
    distill: {
      reasoning: read(FILES.gsm8kTrain),
      general: read(FILES.alpaca),
      coding: read(FILES.codeAlpaca),
      tools: read(FILES.toolcall).filter((c) => c.tools !== undefined),
    },
    evals: { gsm8k: read(FILES.gsm8kTest), humaneval: read(FILES.humaneval) },
  };
}

// ---- built-in fallback: small template grammar per capability ----

const TOPICS = [
  'photosynthesis',
  'the French Revolution',
  'compound interest',
  'black holes',
  'sourdough bread',
  'the immune system',
  'supply chains',
  'plate tectonics',
  'jazz harmony',
  'vaccines',
  'inflation',
  'TCP handshakes',
];
const TASKS = [
  'reverse a linked list',
  'parse a CSV file',
  'debounce a function',
  'merge two sorted arrays',
  'validate an email address',
  'compute a moving average',
  'find duplicate files',
  'rate-limit an API client',
];
const LANGS = ['Python', 'TypeScript', 'Go', 'Rust', 'Java', 'SQL'];
// Slots of the everyday asks: enough combinations that a few hundred of them are mostly distinct,
// as real chat prompts are (campaigns that deal disjoint shares drop duplicates).
const OPENERS = [
  'Can you explain',
  'Could you walk me through',
  'Please explain',
  'Help me understand',
  'Would you describe',
];
const AUDIENCES = [
  'in simple terms',
  'for a ten-year-old',
  'like I am new to it',
  'in two short paragraphs',
  'with an everyday analogy',
  'without jargon',
];
const OCCASIONS = ['birthday', 'thank-you', 'get-well', 'farewell', 'congratulations'];
const RELATIONS = ['friend', 'sister', 'colleague', 'neighbour', 'grandfather'];
const NAMES = ['Maria', 'Tom', 'Aisha', 'Kenji', 'Lena', 'Omar', 'Priya', 'Diego'];
const ITEMS = ['apples', 'stickers', 'books', 'marbles', 'cookies', 'tickets'];

function builtInList(count: number, label: string, make: (rng: Rng, i: number) => CorpusItem): CorpusItem[] {
  const rng = new Rng(0x5eed).fork(label);
  return Array.from({ length: count }, (_, i) => make(rng, i));
}

function single(id: string, source: string, text: string, tools?: ToolSpec[]): CorpusItem {
  return { id, source, turns: [{ role: 'user', text }], ...(tools ? { tools } : {}) };
}

function mathProblem(rng: Rng): string {
  const a = rng.int(3, 60);
  const b = rng.int(2, 12);
  const c = rng.int(1, 9);
  return `${rng.pick(NAMES)} has ${a} ${rng.pick(ITEMS)}. She buys ${b} packs of ${c} more and gives away ${rng.int(1, a)}. How many does she have now?`;
}

const WEATHER_TOOL: ToolSpec = {
  name: 'get_weather',
  description: 'Get the current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const CONVERT_TOOL: ToolSpec = {
  name: 'convert_currency',
  description: 'Convert an amount between currencies',
  parameters: {
    type: 'object',
    properties: { amount: { type: 'number' }, from: { type: 'string' }, to: { type: 'string' } },
    required: ['amount', 'from', 'to'],
  },
};

/**
 * The built-in stand-in for the real corpora: a few hundred template prompts per capability.
 * Deterministic (fixed internal seed), so runs without data are reproducible too.
 *
 * @example
 * builtInCorpora().builtIn; // true
 */
export function builtInCorpora(): Corpora {
  const conversations = builtInList(600, 'conv', (rng, i) => {
    const topic = rng.pick(TOPICS);
    return {
      id: `builtin-conv-${i}`,
      source: 'builtin',
      turns: [
        { role: 'user', text: `${rng.pick(OPENERS)} ${topic} ${rng.pick(AUDIENCES)}?` },
        { role: 'assistant', text: `Sure. In short, ${topic} comes down to a few ideas. First, ...` },
        {
          role: 'user',
          text: rng.pick([
            'Can you give me an example?',
            'What was the second point again?',
            'How is that different from what you said first?',
          ]),
        },
        { role: 'assistant', text: `Here is an example that builds on the first idea about ${topic}: ...` },
        { role: 'user', text: 'Thanks, that helps. One more question: why does it matter?' },
      ],
    };
  });
  return {
    builtIn: true,
    origin: 'built-in generator',
    conversations,
    userPrompts: builtInList(600, 'user', (rng, i) =>
      single(
        `builtin-user-${i}`,
        'builtin',
        rng.pick([
          `what's a good way to learn about ${rng.pick(TOPICS)} ${rng.pick(AUDIENCES)}?`,
          `write a short ${rng.pick(OCCASIONS)} message for my ${rng.pick(RELATIONS)} ${rng.pick(NAMES)}`,
          `is it normal that my ${rng.pick(LANGS)} build takes ${rng.int(2, 40)} minutes?`,
          `give me ${rng.int(2, 6)} dinner ideas with ${rng.pick(ITEMS)} for ${rng.int(1, 8)} people`,
        ]),
      ),
    ),
    distill: {
      reasoning: builtInList(400, 'reason', (rng, i) =>
        single(`builtin-math-${i}`, 'builtin', mathProblem(rng)),
      ),
      general: builtInList(400, 'general', (rng, i) =>
        single(
          `builtin-gen-${i}`,
          'builtin',
          rng.pick([
            `Summarize the main causes of ${rng.pick(TOPICS)}.`,
            `Classify the following as fact or opinion: "${rng.pick(TOPICS)} is overrated."`,
            `Write a haiku about ${rng.pick(TOPICS)}.`,
            `Give three arguments for and against studying ${rng.pick(TOPICS)}.`,
          ]),
        ),
      ),
      coding: builtInList(400, 'code', (rng, i) =>
        single(`builtin-code-${i}`, 'builtin', `Write a ${rng.pick(LANGS)} function to ${rng.pick(TASKS)}.`),
      ),
      tools: builtInList(120, 'tools', (rng, i) =>
        rng.chance(0.5)
          ? single(
              `builtin-tool-${i}`,
              'builtin',
              `What's the weather like in ${rng.pick(['Paris', 'Lagos', 'Osaka', 'Lima'])} right now?`,
              [WEATHER_TOOL],
            )
          : single(
              `builtin-tool-${i}`,
              'builtin',
              `Convert ${rng.int(5, 900)} USD to ${rng.pick(['EUR', 'JPY', 'INR'])}.`,
              [CONVERT_TOOL],
            ),
      ),
    },
    evals: {
      gsm8k: builtInList(200, 'evalmath', (rng, i) =>
        single(`builtin-gsm-${i}`, 'builtin', mathProblem(rng)),
      ),
      humaneval: builtInList(60, 'evalcode', (rng, i) =>
        single(
          `builtin-he-${i}`,
          'builtin',
          `Complete the following Python function:\n\ndef task_${i}(xs):\n    """${rng.pick(TASKS)}"""\n`,
        ),
      ),
    },
  };
}
