/**
 * What the per-minute traffic roll-up costs the exchange log's writes: batches of 500 events
 * inserted with the store's `insertEvents` (events + roll-up in one transaction) side by side with
 * the same batches inserted the way the store did before the roll-up (the schema-1 statement alone,
 * into a database at schema 1), batch by batch, plus a second "before" database as a control (its
 * ratio to the first is the machine's noise), on SQLite (a file in WAL mode, as the
 * gateway runs it) and on PostgreSQL (fresh schemas, removed afterwards). Events arrive 2,000 a
 * second of event time, so a batch spans one or two minutes, as on a busy gateway. Then, on the
 * store with the roll-up, the traffic chart's query over everything written (whole minutes: read
 * from the roll-up) side by side with the same query ending 1 ms later (counted from the log), and
 * the one-off backfill: migration 2 run on the "before" database, which then holds every batch.
 * Prints a Markdown table; changes nothing in docs/.
 *
 *   npx tsx bench/event-log-write.ts [--batches N] [--no-postgres]   (default 200 batches per side)
 *
 * PostgreSQL: DG_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { ExchangeEvent } from '../src/contract/types.js';
import { MIGRATIONS, migrate } from '../src/store/migrations.js';
import { migratePg, PG_MIGRATIONS } from '../src/store/pg-migrations.js';
import { openPostgresStore } from '../src/store/postgres.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import {
  dropSchema,
  freshSchemaName,
  requirePostgres,
  TEST_POSTGRES_URL,
} from '../src/store/test-helpers/postgres-env.js';
import type { Store } from '../src/store/types.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

const BATCH = 500;
const EVENTS_PER_SECOND = 2000;
const START = Date.UTC(2026, 0, 1);

const { values } = parseArgs({
  options: { batches: { type: 'string' }, 'no-postgres': { type: 'boolean' } },
});
const batches = Number(values.batches ?? 200);
if (!Number.isInteger(batches) || batches < 10)
  throw new Error(`--batches must be a whole number ≥ 10, got "${values.batches}"`);

function batch(b: number, side: string): ExchangeEvent[] {
  return Array.from({ length: BATCH }, (_, i) => {
    const n = b * BATCH + i;
    return {
      id: `${side}-${n}`,
      ts: new Date(START + Math.floor((n * 1000) / EVENTS_PER_SECOND)).toISOString(),
      account_id: `acct-${n % 997}`,
      client: { ip: `10.0.${n % 250}.1` },
      api: 'openai.chat',
      model: 'mock-gpt',
      request: { messages: [{ role: 'user', content: `Explain item ${n} step by step, with an example.` }] },
      response: { status: n % 40 === 0 ? 429 : 200, output_tokens: 180 },
    };
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

type Insert = (events: ExchangeEvent[]) => Promise<void>;
interface Sides {
  before: number[];
  control: number[];
  after: number[];
  /** Count-by-time over the whole run: from the roll-up, and from the log. */
  reads: { rollup: number[]; log: number[] };
  /** Migration 2 (creating and backfilling the roll-up) run on the "before" database afterwards. */
  backfillMs: number;
}

/** The chart's query (3-hour buckets) over all written batches both ways, alternated 15 times. */
async function timeReads(store: Store): Promise<Sides['reads']> {
  const from = new Date(START).toISOString();
  const end = START + Math.ceil((batches * BATCH) / EVENTS_PER_SECOND / 60) * 60_000;
  const reads: Sides['reads'] = { rollup: [], log: [] };
  for (let i = 0; i < 15; i++) {
    let t0 = performance.now();
    const a = await store.countEventsByTime({ from, to: new Date(end).toISOString(), bucketMs: 10_800_000 });
    reads.rollup.push(performance.now() - t0);
    t0 = performance.now();
    const b = await store.countEventsByTime({
      from,
      to: new Date(end + 1).toISOString(),
      bucketMs: 10_800_000,
    });
    reads.log.push(performance.now() - t0);
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('roll-up and log counts differ');
  }
  return reads;
}

type Writes = Omit<Sides, 'reads' | 'backfillMs'>;

/** Runs the three sides batch by batch, rotating which goes first; ms per batch for each. */
async function alternate(before: Insert, control: Insert, after: Insert): Promise<Writes> {
  const sides: Array<[keyof Writes, Insert]> = [
    ['before', before],
    ['control', control],
    ['after', after],
  ];
  const out: Writes = { before: [], control: [], after: [] };
  for (let b = 0; b < batches; b++) {
    for (let k = 0; k < sides.length; k++) {
      const [name, insert] = sides[(b + k) % sides.length] as [keyof Writes, Insert];
      const events = batch(b, name);
      const t0 = performance.now();
      await insert(events);
      out[name].push(performance.now() - t0);
    }
  }
  return out;
}

/** A SQLite file at schema 1 and the store's insert from before the roll-up, verbatim. */
function schema1Sqlite(path: string): { insert: Insert; backfill: () => number; close: () => void } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  migrate(db, MIGRATIONS.slice(0, 1));
  // One prepared INSERT per event, one transaction per batch.
  const insert = db.prepare(
    'INSERT INTO events(id, ts, account_id, content, body) VALUES (@id, @ts, @account_id, @content, @body)',
  );
  const insertBatch = db.transaction((events: ExchangeEvent[]) => {
    for (const e of events)
      insert.run({ id: e.id, ts: e.ts, account_id: e.account_id, content: 'full', body: JSON.stringify(e) });
  });
  const backfill = (): number => {
    const t0 = performance.now();
    migrate(db);
    return performance.now() - t0;
  };
  return { insert: async (events) => insertBatch(events), backfill, close: () => db.close() };
}

async function sqliteSides(dir: string): Promise<Sides> {
  const before = schema1Sqlite(join(dir, 'before.db'));
  const control = schema1Sqlite(join(dir, 'control.db'));
  const store = openSqliteStore({ path: join(dir, 'after.db') });
  try {
    const writes = await alternate(before.insert, control.insert, (events) =>
      store.insertEvents(events, 'full'),
    );
    return { ...writes, reads: await timeReads(store), backfillMs: before.backfill() };
  } finally {
    before.close();
    control.close();
    await store.close();
  }
}

/** A PostgreSQL schema at schema 1 and the store's insert from before the roll-up. */
async function schema1Pg(
  schema: string,
): Promise<{ insert: Insert; backfill: () => Promise<number>; close: () => Promise<void> }> {
  const pool = new pg.Pool({
    connectionString: TEST_POSTGRES_URL,
    max: 4,
    options: `-c search_path=${schema}`,
  });
  const close = async (): Promise<void> => {
    await pool.end();
    await dropSchema(schema);
  };
  try {
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(PG_MIGRATIONS[0]?.sql ?? '');
    await pool.query(
      'CREATE TABLE schema_version (version integer NOT NULL); INSERT INTO schema_version VALUES (1)',
    );
    const days = Math.ceil((batches * BATCH) / EVENTS_PER_SECOND / 86_400) + 1;
    for (let d = 0; d < days; d++) {
      const from = new Date(START + d * 86_400_000);
      const to = new Date(from.getTime() + 86_400_000);
      await pool.query(
        `CREATE TABLE events_p${d} PARTITION OF events FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
      );
    }
  } catch (error) {
    await close();
    throw error;
  }
  // The per-event day check the store has always made (to find the partitions a batch needs),
  // then the same unnest statement, verbatim.
  const insert = async (events: ExchangeEvent[]): Promise<void> => {
    const days = new Set(events.map((e) => new Date(Date.parse(e.ts)).toISOString().slice(0, 10)));
    if (days.size === 0) throw new Error('empty batch');
    await pool.query(
      `INSERT INTO events(id, ts, account_id, content, body)
       SELECT id, ts, account_id, $4, body
       FROM unnest($1::text[], $2::timestamptz[], $3::text[], $5::text[]) WITH ORDINALITY
         AS t(id, ts, account_id, body, n) ORDER BY n`,
      [
        events.map((e) => e.id),
        events.map((e) => e.ts),
        events.map((e) => e.account_id),
        'full',
        events.map((e) => JSON.stringify(e)),
      ],
    );
  };
  const backfill = async (): Promise<number> => {
    const client = await pool.connect();
    try {
      const t0 = performance.now();
      await migratePg(client);
      return performance.now() - t0;
    } finally {
      client.release();
    }
  };
  return { insert, backfill, close };
}

async function postgresSides(): Promise<Sides> {
  await requirePostgres();
  const opened: Array<() => Promise<void>> = [];
  try {
    const before = await schema1Pg(freshSchemaName());
    opened.push(before.close);
    const control = await schema1Pg(freshSchemaName());
    opened.push(control.close);
    const afterSchema = freshSchemaName();
    const store = await openPostgresStore({ url: TEST_POSTGRES_URL, schema: afterSchema, poolSize: 4 });
    opened.push(async () => {
      await store.close();
      await dropSchema(afterSchema);
    });
    const writes = await alternate(before.insert, control.insert, (events) =>
      store.insertEvents(events, 'full'),
    );
    return { ...writes, reads: await timeReads(store), backfillMs: await before.backfill() };
  } finally {
    for (const close of opened) await close();
  }
}

const row = (name: string, r: Sides): string => {
  const b = median(r.before);
  const c = median(r.control);
  const a = median(r.after);
  const rate = (ms: number): string => Math.round((BATCH * 1000) / ms).toLocaleString('en-US');
  const vs = (ms: number): string => `${ms.toFixed(2)} (${(ms / b).toFixed(2)}×)`;
  const reads = `${median(r.reads.rollup).toFixed(1)} / ${median(r.reads.log).toFixed(1)}`;
  const backfill = r.backfillMs.toFixed(0);
  return `| ${name} | ${b.toFixed(2)} | ${vs(c)} | ${vs(a)} | ${rate(b)} | ${rate(a)} | ${reads} | ${backfill} |`;
};

const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const dir = mkdtempSync(join(tmpdir(), 'dg-event-write-bench-'));
try {
  const lines = [
    `${batches} batches of ${BATCH} events per side, sides rotated batch by batch; load average before: ${load()}`,
    '',
    '| store | before: median ms / batch | before again (control) | with roll-up | before events/s | with roll-up events/s | chart query ms: roll-up / log | backfill ms (migration 2 on the before database) |',
    '|---|---|---|---|---|---|---|---|',
    row('SQLite (file, WAL)', await sqliteSides(dir)),
  ];
  if (!values['no-postgres']) lines.push(row('PostgreSQL (day partitions)', await postgresSides()));
  lines.push('', `load average after: ${load()}`, '');
  process.stdout.write(lines.join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
