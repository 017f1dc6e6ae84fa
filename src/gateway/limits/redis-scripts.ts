/**
 * The Lua scripts behind the Redis limiter. One script checks every scope of a request (key,
 * account, org) and charges them only if all pass, so the whole admission is one atomic step on
 * the Redis server: two gateways can never both take the last unit of a bucket. Time comes from
 * the server (`TIME`), so replicas with skewed clocks still share one timeline.
 *
 * Keys per scope, in this order: rate hash (fields r, t = GCRA tats of requests and tokens),
 * lease sorted set (member lease id, score expiry ms — concurrency slots that a crashed gateway
 * never releases expire on their own), day spend, month spend (USD as float strings; the period
 * is in the key name, so rollover is just a new key). Only what a scope limits is stored: spend
 * is tracked from the moment a budget is configured, not before (the in-memory limiter tracks it
 * always; here that would cost four extra Redis calls per scope on every request).
 *
 * Floats travel as strings: Redis truncates Lua numbers to integers in replies.
 */
import { createHash } from 'node:crypto';

/** Keys each scope contributes to a script call. */
export const KEYS_PER_SCOPE = 4;
/** Per-scope limit arguments of ACQUIRE: rpm, tpm, concurrent, daily USD, monthly USD (-1 = none). */
export const ARGS_PER_SCOPE = 5;

/**
 * ARGV: nScopes, leaseId, leaseTtlMs, tokens, costUsd, dayTtlMs, monthTtlMs, then 5 per scope.
 * Reply: {1, now, rRem, rReset, tRem, tReset, …per scope} or
 * {0, now, scopeIndex, limitName, retryMs, …per scope checked so far}; -1 = not limited.
 */
export const ACQUIRE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = tonumber(ARGV[1])
local leaseId = ARGV[2]
local leaseTtl = tonumber(ARGV[3])
local tokens = tonumber(ARGV[4])
local cost = tonumber(ARGV[5])
local dayTtl = tonumber(ARGV[6])
local monthTtl = tonumber(ARGV[7])
local W = 60000

local function gcra(tat, c, limit)
  if limit <= 0 then return false, tat, 0, W, W end
  local interval = W / limit
  local base = math.max(tat, now)
  local nextTat = base + c * interval
  local allowed = (nextTat - now <= W) or (tat <= now)
  local after = base
  if allowed then after = nextTat end
  local remaining = math.max(0, math.floor((W - (after - now)) / interval))
  local retry = 0
  if not allowed then retry = math.ceil(nextTat - now - W) end
  return allowed, nextTat, remaining, math.max(0, math.ceil(after - now)), retry
end

local out = {}
local plans = {}
local function refuse(i, name, retry)
  local reply = {0, now, i, name, retry}
  for _, v in ipairs(out) do reply[#reply + 1] = v end
  return reply
end

for i = 0, n - 1 do
  local k = i * 4
  local a = 8 + i * 5
  local rpm = tonumber(ARGV[a])
  local tpm = tonumber(ARGV[a + 1])
  local conc = tonumber(ARGV[a + 2])
  local daily = tonumber(ARGV[a + 3])
  local monthly = tonumber(ARGV[a + 4])
  local p = { rtat = 0, ttat = 0, conc = conc >= 0, daily = daily >= 0, monthly = monthly >= 0 }
  if rpm >= 0 or tpm >= 0 then
    local h = redis.call('HMGET', KEYS[k + 1], 'r', 't')
    p.rtat = tonumber(h[1]) or 0
    p.ttat = tonumber(h[2]) or 0
  end
  plans[i + 1] = p
  out[#out + 1] = -1; out[#out + 1] = -1; out[#out + 1] = -1; out[#out + 1] = -1
  local base = #out - 4
  if rpm >= 0 then
    local ok, nt, rem, reset, retry = gcra(p.rtat, 1, rpm)
    out[base + 1] = rem; out[base + 2] = reset
    if not ok then return refuse(i, 'requestsPerMinute', retry) end
    p.nr = nt
  end
  if tpm >= 0 then
    local ok, nt, rem, reset, retry = gcra(p.ttat, tokens, tpm)
    out[base + 3] = rem; out[base + 4] = reset
    if not ok then return refuse(i, 'tokensPerMinute', retry) end
    p.nt = nt
  end
  if conc >= 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[k + 2], '-inf', now)
    if redis.call('ZCARD', KEYS[k + 2]) >= conc then return refuse(i, 'concurrentRequests', 1000) end
  end
  if daily >= 0 then
    local spent = tonumber(redis.call('GET', KEYS[k + 3])) or 0
    if spent >= daily or spent + cost > daily then return refuse(i, 'dailyBudgetUsd', -1) end
  end
  if monthly >= 0 then
    local spent = tonumber(redis.call('GET', KEYS[k + 4])) or 0
    if spent >= monthly or spent + cost > monthly then return refuse(i, 'monthlyBudgetUsd', -1) end
  end
end

for i = 0, n - 1 do
  local k = i * 4
  local p = plans[i + 1]
  -- Only what this scope limits is stored: each avoided call is latency on every request.
  local r = p.nr and string.format('%.3f', p.nr) or nil
  local tt = p.nt and string.format('%.3f', p.nt) or nil
  if r and tt then
    redis.call('HSET', KEYS[k + 1], 'r', r, 't', tt)
  elseif r then
    redis.call('HSET', KEYS[k + 1], 'r', r)
  elseif tt then
    redis.call('HSET', KEYS[k + 1], 't', tt)
  end
  if r or tt then
    redis.call('PEXPIRE', KEYS[k + 1], math.ceil(math.max(p.nr or now, p.nt or now) - now) + 60000)
  end
  if p.conc then
    redis.call('ZADD', KEYS[k + 2], now + leaseTtl, leaseId)
    redis.call('PEXPIRE', KEYS[k + 2], leaseTtl)
  end
  -- Written even for a zero estimate, so release can reconcile the real cost into them.
  if p.daily then
    redis.call('INCRBYFLOAT', KEYS[k + 3], string.format('%.9f', cost))
    redis.call('PEXPIRE', KEYS[k + 3], dayTtl)
  end
  if p.monthly then
    redis.call('INCRBYFLOAT', KEYS[k + 4], string.format('%.9f', cost))
    redis.call('PEXPIRE', KEYS[k + 4], monthTtl)
  end
end
local reply = {1, now}
for _, v in ipairs(out) do reply[#reply + 1] = v end
return reply
`;

/**
 * ARGV: nScopes, leaseId, tokensDelta, costDelta, then tpm per scope (-1 = none).
 * Frees the concurrency slot and reconciles tokens and spend with the real usage.
 */
export const RELEASE_LUA = `
local n = tonumber(ARGV[1])
local leaseId = ARGV[2]
local dTokens = tonumber(ARGV[3])
local dCost = tonumber(ARGV[4])
for i = 0, n - 1 do
  local k = i * 4
  local tpm = tonumber(ARGV[5 + i])
  redis.call('ZREM', KEYS[k + 2], leaseId)
  if tpm > 0 and dTokens ~= 0 and redis.call('HEXISTS', KEYS[k + 1], 't') == 1 then
    redis.call('HINCRBYFLOAT', KEYS[k + 1], 't', string.format('%.3f', dTokens * 60000 / tpm))
  end
  if dCost ~= 0 then
    for _, key in ipairs({KEYS[k + 3], KEYS[k + 4]}) do
      if redis.call('EXISTS', key) == 1 then
        local v = tonumber(redis.call('INCRBYFLOAT', key, string.format('%.9f', dCost)))
        if v < 0 then redis.call('SET', key, '0', 'KEEPTTL') end
      end
    end
  end
end
return 1
`;

/**
 * SHA1 of a script, for EVALSHA.
 *
 * @example
 * const sha = scriptSha(ACQUIRE_LUA);
 */
export function scriptSha(lua: string): string {
  return createHash('sha1').update(lua).digest('hex');
}
