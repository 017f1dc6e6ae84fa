/**
 * When simulated requests happen. Humans replay real activity from the Tensor Trust log
 * (`<dataDir>/timing/tensor-trust-activity.csv`: per-user bursts, gaps and active hours), shifted
 * to a random start day and time zone; machines follow a Poisson process, optionally shaped by
 * a daily cycle. Without the log a small synthetic human model stands in.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from './rng.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** A pause longer than this ends a session in the activity log. */
const SESSION_BREAK = 30 * MINUTE;
/** Users with fewer actions carry too little rhythm to replay. */
const MIN_ACTIONS = 8;

/** Real (or synthetic) human activity, one sorted list of epoch-ms actions per user. */
export interface TimingSource {
  builtIn: boolean;
  origin: string;
  users: number[][];
}

export class TimingError extends Error {
  override name = 'TimingError';
}

/**
 * Parses the `user,timestamp` CSV into per-user sorted action times (users with at least 8
 * actions). A malformed row is an error naming its line.
 *
 * @example
 * parseActivityCsv('user,timestamp\n1,2023-07-24T18:18:55.536000+00:00\n', 'x.csv').length; // 0 (too few)
 */
export function parseActivityCsv(text: string, name: string): number[][] {
  const byUser = new Map<string, number[]>();
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') continue;
    const comma = line.indexOf(',');
    const ms = comma > 0 ? Date.parse(line.slice(comma + 1)) : Number.NaN;
    if (Number.isNaN(ms))
      throw new TimingError(`${name}:${i + 1}: expected "user,timestamp" with an ISO timestamp`);
    const user = line.slice(0, comma);
    let list = byUser.get(user);
    if (list === undefined) {
      list = [];
      byUser.set(user, list);
    }
    list.push(ms);
  }
  const users: number[][] = [];
  // Sort users by first action so the order never depends on Map insertion quirks of the file.
  for (const list of byUser.values()) {
    if (list.length < MIN_ACTIONS) continue;
    list.sort((a, b) => a - b);
    users.push(list);
  }
  users.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || a.length - b.length);
  return users;
}

/**
 * Loads the real activity log from `<dataDir>/timing`, or synthesises human activity when the
 * directory is absent.
 *
 * @example
 * loadTiming('../shared/data').users.length; // several hundred real users
 */
export function loadTiming(dataDir: string): TimingSource {
  const path = join(dataDir, 'timing', 'tensor-trust-activity.csv');
  if (!existsSync(join(dataDir, 'timing'))) return builtInTiming();
  if (!existsSync(path)) throw new TimingError(`${path}: missing (the data directory is incomplete)`);
  const users = parseActivityCsv(readFileSync(path, 'utf8'), path);
  if (users.length === 0) throw new TimingError(`${path}: no user with at least ${MIN_ACTIONS} actions`);
  return { builtIn: false, origin: path, users };
}

/**
 * Synthetic stand-in for the log: sessions starting in waking hours, log-normal gaps within
 * and between sessions. Fixed internal seed, so it is reproducible.
 *
 * @example
 * builtInTiming().builtIn; // true
 */
export function builtInTiming(): TimingSource {
  const rng = new Rng(0x71e);
  const users: number[][] = [];
  const origin = Date.UTC(2023, 6, 24);
  for (let u = 0; u < 400; u++) {
    const actions: number[] = [];
    const total = Math.round(rng.lognormal(40, 1.1)) + MIN_ACTIONS;
    let t = origin + rng.range(0, 7) * DAY;
    while (actions.length < total) {
      // Snap session starts into 08:00–24:00 UTC: people sleep.
      const hour = (t % DAY) / HOUR;
      if (hour < 8) t += (8 - hour) * HOUR + rng.range(0, 3) * HOUR;
      const len = 1 + Math.floor(rng.exp(5));
      for (let i = 0; i < len && actions.length < total; i++) {
        actions.push(Math.round(t));
        t += rng.lognormal(45_000, 1);
      }
      t += rng.lognormal(20 * HOUR, 0.8);
    }
    users.push(actions);
  }
  return { builtIn: true, origin: 'built-in synthetic human timing', users };
}

/** Users with at least `min` actions, per source, computed once and shared by every clock. */
const poolCache = new WeakMap<TimingSource, Map<number, number[][]>>();

function busyUsers(source: TimingSource, min: number): number[][] {
  let bySource = poolCache.get(source);
  if (bySource === undefined) {
    bySource = new Map();
    poolCache.set(source, bySource);
  }
  let pool = bySource.get(min);
  if (pool === undefined) {
    const busy = source.users.filter((u) => u.length >= min);
    // Fall back to the busiest tenth if nobody is that busy.
    pool =
      busy.length > 0
        ? busy
        : [...source.users]
            .sort((a, b) => b.length - a.length)
            .slice(0, Math.max(1, source.users.length / 10));
    bySource.set(min, pool);
  }
  return pool;
}

/** Sessions per user, computed once: thousands of clocks replay the same few hundred people. */
const sessionCache = new WeakMap<number[], number[][]>();

function sessionsOf(actions: number[]): number[][] {
  const cached = sessionCache.get(actions);
  if (cached !== undefined) return cached;
  const sessions: number[][] = [];
  let current: number[] = [];
  for (const t of actions) {
    const last = current[current.length - 1];
    if (last !== undefined && t - last > SESSION_BREAK) {
      sessions.push(current);
      current = [];
    }
    current.push(t);
  }
  if (current.length > 0) sessions.push(current);
  sessionCache.set(actions, sessions);
  return sessions;
}

export interface HumanClockOptions {
  /** Earliest time of the first action (epoch ms). */
  start: number;
  /** The first session starts within this many days after `start`. */
  spreadDays: number;
  /** Only replay users with at least this many actions (busier people). */
  minActions?: number;
  /** Hours to shift the real time of day by (a time zone); default random in [-8, 9]. */
  tzShiftHours?: number;
}

/**
 * Replays one real person's rhythm: `nextSession()` jumps to the start of their next real
 * session, `nextTurn(minGap)` to their next action within it (never sooner than `minGap`, e.g.
 * the time to read the previous answer). When a person's log runs out it continues with another.
 *
 * @example
 * const clock = new HumanClock(rng, timing, { start: Date.UTC(2026, 0, 5), spreadDays: 7 });
 * const t0 = clock.nextSession();
 * const t1 = clock.nextTurn(20_000); // a follow-up at least 20 s later
 */
export class HumanClock {
  private readonly pool: number[][];
  private sessions: readonly number[][] = [];
  private session = -1;
  private action = 0;
  private delta = 0;
  private now = Number.NEGATIVE_INFINITY;
  private readonly tz: number;

  constructor(
    private readonly rng: Rng,
    source: TimingSource,
    opts: HumanClockOptions,
  ) {
    this.pool = busyUsers(source, opts.minActions ?? MIN_ACTIONS);
    this.tz = opts.tzShiftHours ?? rng.int(-8, 9);
    this.adopt(opts.start + rng.range(0, opts.spreadDays) * DAY);
  }

  /** Switches to a new real person whose first action maps to about `target`, same time zone. */
  private adopt(target: number): void {
    const actions = this.rng.pick(this.pool);
    const first = actions[0] ?? 0;
    this.delta = Math.round((target - first) / DAY) * DAY + this.tz * HOUR;
    // Never before the target (e.g. an account's sign-up): keep the time of day, move a day on.
    while (first + this.delta < target) this.delta += DAY;
    this.sessions = sessionsOf(actions);
    this.session = -1;
    this.action = 0;
  }

  /** Time of the start of the next session (epoch ms, strictly increasing). */
  nextSession(): number {
    this.session++;
    this.action = 0;
    if (this.session >= this.sessions.length) {
      this.adopt(this.now + this.rng.lognormal(DAY, 0.7));
      this.session = 0;
    }
    const t = (this.sessions[this.session]?.[0] ?? 0) + this.delta;
    return this.advance(t, 1000);
  }

  /** Time of the next action in the current session, at least `minGap` ms after the last. */
  nextTurn(minGap = 0): number {
    const s = this.sessions[this.session] ?? [];
    const prev = s[this.action];
    const next = s[this.action + 1];
    let t: number;
    if (prev !== undefined && next !== undefined) {
      this.action++;
      t = this.now + (next - prev);
    } else {
      // Past the end of the real session: keep the person's pace with a typical short gap.
      t = this.now + this.rng.lognormal(50_000, 0.9);
    }
    return this.advance(t, minGap);
  }

  /** Time exactly `gapMs` after the last action: machine-paced steps such as tool calls. */
  after(gapMs: number): number {
    return this.advance(this.now + gapMs, 1);
  }

  private advance(t: number, minGap: number): number {
    this.now = Math.max(Math.round(t), this.now + Math.max(1, Math.round(minGap)));
    return this.now;
  }
}

/**
 * Machine arrivals: a Poisson process with mean gap `meanGapMs`, thinned by `shape(t)` in [0, 1]
 * (e.g. a daily cycle), so the realised mean gap is `meanGapMs / average(shape)`.
 *
 * @example
 * const clock = new PoissonClock(rng, 60_000, Date.UTC(2026, 0, 5));
 * clock.next(); // about a minute after the start
 */
export class PoissonClock {
  constructor(
    private readonly rng: Rng,
    private readonly meanGapMs: number,
    private now: number,
    private readonly shape: (t: number) => number = () => 1,
  ) {}

  next(): number {
    for (;;) {
      this.now += Math.max(1, Math.round(this.rng.exp(this.meanGapMs)));
      if (this.rng.float() < this.shape(this.now)) return this.now;
    }
  }
}

/**
 * A daily traffic cycle for services whose users are people: busiest at `peakHourUtc`, never
 * below `floor` of the peak.
 *
 * @example
 * const shape = dailyCycle(15, 0.3);
 * shape(Date.UTC(2026, 0, 5, 15)); // 1
 */
export function dailyCycle(peakHourUtc: number, floor: number): (t: number) => number {
  return (t) => {
    const hour = (t % DAY) / HOUR;
    const c = (1 + Math.cos((2 * Math.PI * (hour - peakHourUtc)) / 24)) / 2;
    return floor + (1 - floor) * c;
  };
}
