/**
 * The Lua side of the Redis job store's apply() (DESIGN §5); helpers and the other scripts
 * are in redis-job-scripts.ts. Byte-order time comparison and Redis Cluster notes there apply.
 */
import { LUA_HELPERS } from './redis-job-scripts.js';

/**
 * apply(), for a batch of changes (redis-apply-batcher.ts): each one under the same rules as
 * job-transition.ts, step for step, in the order given, so a job's changes in one batch land
 * as they would one call at a time. KEYS: the job of each change. ARGV[1]: retention s; then
 * for each change its argument count and its arguments: kind, attempt, at, then by kind —
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

-- A: kind, attempt, at, now (= at: updatedAt is the change's own time), retention s, channel,
-- then the kind's own arguments.
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
  local A = {ARGV[cursor + 1], ARGV[cursor + 2], ARGV[cursor + 3], ARGV[cursor + 3], ARGV[1], KEYS[i] .. ':changes'}
  for j = 4, count do A[#A + 1] = ARGV[cursor + j] end
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
