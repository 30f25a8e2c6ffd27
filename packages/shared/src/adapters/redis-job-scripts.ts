/**
 * The Lua side of the Redis job store (DESIGN §5). Each script runs atomically in Redis,
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
 * apply(), for a batch of changes (redis-apply-batcher.ts): each one under the same rules as
 * job-transition.ts, step for step, in the order given, so a job's changes in one batch land
 * as they would one call at a time. KEYS: the job of each change. ARGV[1]: retention s; then
 * for each change its argument count and its arguments: kind, attempt, at, now, then by kind —
 * progressed: progress JSON, bytesDone, itemsDone; failed: error JSON, final ('1'|'0');
 * completed: output JSON, downloadUrl, expiresAt, manifest JSON ('' = none).
 * Reply, one entry per change: {} no such job; {0, hash JSON} not applied; {1, hash JSON}
 * applied; {-1, message} that change failed (the others still apply). The hash goes back as
 * one JSON string, not HGETALL's flat array: a reply of 64 jobs × 30 strings cost Redis
 * more to build, and Node more to parse, than the changes themselves.
 *
 * An applied change is published on `<job key>:changes` (the same JSON) only when someone
 * listens there; a stream subscribes before it reads, so a listener never misses a change.
 */
export const APPLY_CHANGES = `${LUA_HELPERS}
local function progressJson(bd, bt, id, it)
  return string.format('{"bytesDone":%.0f,"bytesTotal":%.0f,"itemsDone":%.0f,"itemsTotal":%.0f}', bd, bt, id, it)
end

-- A: kind, attempt, at, now, retention s, channel, then the kind's own arguments.
local function applyOne(key, A)
  local flat = redis.call('HGETALL', key)
  if #flat == 0 then return {} end
  local h = totable(flat)
  if h.status == 'done' or h.status == 'failed' then return {0, cjson.encode(h)} end
  local kind, attempt, at, now = A[1], tonumber(A[2]), A[3], A[4]
  local final = kind == 'failed' and A[8] == '1'
  local phase = 4
  if kind == 'started' then phase = 1
  elseif kind == 'progressed' then phase = 2
  elseif kind == 'failed' and not final then phase = 3 end
  local jobAttempt, jobPhase = tonumber(h.attempt), tonumber(h.phase)
  local startedAttempt = tonumber(h.startedAttempt)
  local progress = cjson.decode(h.progress)

  local ahead = false
  if attempt ~= jobAttempt then ahead = attempt > jobAttempt
  elseif phase ~= jobPhase then ahead = phase > jobPhase
  elseif kind == 'progressed' then
    local bytes, items = tonumber(A[8]), tonumber(A[9])
    if bytes ~= progress.bytesDone then ahead = bytes > progress.bytesDone
    else ahead = items > progress.itemsDone end
  end

  local set, del = {}, {}
  local function recordStart()
    if startedAttempt ~= attempt or h.startedAt == nil or bytecmp(at, h.startedAt) < 0 then
      set.startedAt = at
    end
    set.startedAttempt = A[2]
  end

  if ahead then
    set.attempt = A[2]
    set.phase = tostring(phase)
    if kind ~= 'failed' and h.error ~= nil then del[#del + 1] = 'error' end
    if kind == 'started' then
      set.status = 'processing'
      if attempt > jobAttempt then
        set.progress = progressJson(0, progress.bytesTotal, 0, progress.itemsTotal)
      end
      recordStart()
    elseif kind == 'progressed' then
      set.status = 'processing'
      set.progress = A[7]
    elseif kind == 'failed' then
      set.error = A[7]
      if final then
        set.status = 'failed'
        set.finishedAt = at
      else
        set.status = 'processing'
      end
    else
      set.status = 'done'
      local bytes = math.max(progress.bytesDone, progress.bytesTotal)
      local items = math.max(progress.itemsDone, progress.itemsTotal)
      set.progress = progressJson(bytes, bytes, items, items)
      set.output, set.downloadUrl, set.expiresAt = A[7], A[8], A[9]
      if A[10] ~= '' then set.manifest = A[10] elseif h.manifest ~= nil then del[#del + 1] = 'manifest' end
      set.finishedAt = at
    end
  else
    -- A started behind later changes of its own attempt only records when the attempt began.
    if kind ~= 'started' or attempt ~= jobAttempt then return {0, cjson.encode(h)} end
    local earlier = h.startedAt == nil or bytecmp(at, h.startedAt) < 0
    if startedAttempt == attempt and not earlier then return {0, cjson.encode(h)} end
    recordStart()
  end

  set.version = tostring(tonumber(h.version) + 1)
  if bytecmp(now, h.updatedAt) > 0 then set.updatedAt = now end
  local pairsFlat = {}
  for field, value in pairs(set) do
    pairsFlat[#pairsFlat + 1] = field
    pairsFlat[#pairsFlat + 1] = value
    h[field] = value
  end
  redis.call('HSET', key, unpack(pairsFlat))
  if #del > 0 then
    redis.call('HDEL', key, unpack(del))
    for _, field in ipairs(del) do h[field] = nil end
  end
  redis.call('EXPIRE', key, A[5])
  local after = cjson.encode(h)
  if redis.call('PUBSUB', 'NUMSUB', A[6])[2] > 0 then redis.call('PUBLISH', A[6], after) end
  return {1, after}
end

local replies = {}
local cursor = 2
for i = 1, #KEYS do
  local count = tonumber(ARGV[cursor])
  local A = {ARGV[cursor + 1], ARGV[cursor + 2], ARGV[cursor + 3], ARGV[cursor + 4], ARGV[1], KEYS[i] .. ':changes'}
  for j = 5, count do A[#A + 1] = ARGV[cursor + j] end
  cursor = cursor + count + 1
  local ok, reply = pcall(applyOne, KEYS[i], A)
  if ok then
    replies[i] = reply
  else
    replies[i] = {-1, type(reply) == 'table' and reply.err or tostring(reply)}
  end
end
return replies
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
