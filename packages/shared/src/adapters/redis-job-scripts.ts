/**
 * The Lua side of the Redis job store (DESIGN §5): create() and recordNotification() here,
 * apply() in redis-apply-script.ts. Each script runs atomically in Redis,
 * so a transition is decided and written without a read-modify-write race between clients.
 *
 * Job keys named inside a script (the claimed job, the jobs of a listing page) are built
 * from the key prefix passed in ARGV: fine on a single Redis or a replicated primary, not
 * on Redis Cluster (keys there must be declared in KEYS and share a slot).
 *
 * Strings are compared byte by byte (`bytecmp`) because Lua's `<` follows the server's
 * LC_COLLATE; times arrive as `toISOString()` output, so byte order is time order.
 */

export const LUA_HELPERS = `
local function bytecmp(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y and -1 or 1 end
  end
  if #a == #b then return 0 end
  return #a < #b and -1 or 1
end
local function totable(flat)
  local h = {}
  for i = 1, #flat, 2 do h[flat[i]] = flat[i + 1] end
  return h
end
`;

/**
 * create(). KEYS: idem, job, owner set, all-jobs set.
 * ARGV: hasClaim ('1'|'0'), requestHash, claim TTL s, job id, score (createdAt ms),
 * retention s, job key prefix, then the hash as field/value pairs.
 * Reply: {1, hash} created; {0, hash} an existing job (same claim, or same id);
 * error reply `IDEMPOTENCY_MISMATCH <jobId>` for the same key with another request hash.
 * A claim whose job has expired is stale and is replaced.
 */
export const CREATE_JOB = `${LUA_HELPERS}
local hasClaim = ARGV[1] == '1'
if hasClaim then
  local raw = redis.call('GET', KEYS[1])
  if raw then
    local claim = cjson.decode(raw)
    local prior = redis.call('HGETALL', ARGV[7] .. claim.jobId)
    if #prior > 0 then
      if claim.requestHash ~= ARGV[2] then
        return redis.error_reply('IDEMPOTENCY_MISMATCH ' .. claim.jobId)
      end
      return {0, prior}
    end
  end
end
local current = redis.call('HGETALL', KEYS[2])
local created = 0
if #current == 0 then
  local fields = {}
  for i = 8, #ARGV do fields[#fields + 1] = ARGV[i] end
  redis.call('HSET', KEYS[2], unpack(fields))
  redis.call('EXPIRE', KEYS[2], ARGV[6])
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
  redis.call('ZADD', KEYS[4], ARGV[5], ARGV[4])
  created = 1
end
if hasClaim then
  local value = cjson.encode({jobId = ARGV[4], requestHash = ARGV[2]})
  redis.call('SET', KEYS[1], value, 'EX', ARGV[3])
end
if created == 0 then return {0, current} end
return {1, redis.call('HGETALL', KEYS[2])}
`;

/**
 * recordNotification(). KEYS: job. ARGV: notification JSON, its url. Replaces the entry of
 * the same url in the `notifications` JSON array; keeps the key's TTL (HSET does not touch
 * it). Reply: {} no such job; the hash after the write.
 */
export const RECORD_NOTIFICATION = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
local raw = redis.call('HGET', KEYS[1], 'notifications')
local list = {}
if raw then
  for _, entry in ipairs(cjson.decode(raw)) do
    if entry.url ~= ARGV[2] then list[#list + 1] = entry end
  end
end
list[#list + 1] = cjson.decode(ARGV[1])
redis.call('HSET', KEYS[1], 'notifications', cjson.encode(list))
return redis.call('HGETALL', KEYS[1])
`;
