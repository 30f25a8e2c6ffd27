/**
 * list(): one page of a listing index (`ap:owner:{owner}:jobs` or `ap:jobs`), newest first
 * by createdAt, ties by job id (byte order, as ZRANGE … REV sorts them). Runs as one script
 * so the page position and the page do not drift apart when jobs are added meanwhile.
 *
 * KEYS: the index. ARGV: job key prefix, cursor score ('' = first page), cursor id, limit,
 * status ('' = any), most entries to look at.
 * Reply: {nextScore, nextId, hash, hash, …}; nextScore is '' when the index is exhausted.
 *
 * The cursor names the last entry looked at, matching or not, so a filtered listing moves
 * on even when a call finds nothing within its bound. Entries whose job hash has expired
 * are removed from this index as they are met (retention is kept by the hash's EXPIRE).
 */
import { LUA_HELPERS } from './redis-job-scripts.js';

export const LIST_JOBS = `${LUA_HELPERS}
local index, prefix, cursorScore, cursorId = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local limit, status, maxScan = tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])

-- rank (in newest-first order) of the first entry after the cursor
local position = 0
if cursorScore ~= '' then
  local score = redis.call('ZSCORE', index, cursorId)
  if score and tonumber(score) == tonumber(cursorScore) then
    position = redis.call('ZREVRANK', index, cursorId) + 1
  else
    -- the cursor's entry is gone: count what sorts before it
    position = redis.call('ZCOUNT', index, '(' .. cursorScore, '+inf')
    local ties = redis.call('ZRANGE', index, cursorScore, cursorScore, 'BYSCORE')
    for _, member in ipairs(ties) do
      if bytecmp(member, cursorId) > 0 then position = position + 1 end
    end
  end
end

local items, scanned, stopped = {}, 0, false
local lastScore, lastId = '', ''
while not stopped do
  local batch = redis.call('ZRANGE', index, position, position + 99, 'REV', 'WITHSCORES')
  if #batch == 0 then break end
  for i = 1, #batch, 2 do
    if #items >= limit or scanned >= maxScan then
      stopped = true
      break
    end
    local id = batch[i]
    scanned = scanned + 1
    lastId, lastScore = id, batch[i + 1]
    local jobStatus = redis.call('HGET', prefix .. id, 'status')
    if not jobStatus then
      redis.call('ZREM', index, id)
    else
      position = position + 1
      if status == '' or jobStatus == status then
        items[#items + 1] = redis.call('HGETALL', prefix .. id)
      end
    end
  end
end
if not stopped then lastScore, lastId = '', '' end
return {lastScore, lastId, unpack(items)}
`;
