/**
 * The Lua scripts that make each session operation one atomic step inside Redis. A stored
 * session is a JSON string that always begins `{"revision":R,"createdAt":C,"scope":{...},` so the
 * scripts read the revision and compare the scope with string operations, never decoding (and
 * re-encoding, which would alter numbers and empty arrays of) the parked snapshot.
 */
import { createHash } from 'node:crypto';

export interface LuaScript {
  source: string;
  sha: string;
}

function lua(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** Reads the stored revision and creation time, and checks the stored scope is the caller's. */
const READ_HEADER = `
local function header(stored, scope)
  local revision, created, at = string.match(stored, '^{"revision":(%d+),"createdAt":(%d+),"scope":()')
  if not revision then return nil end
  if string.sub(stored, at, at + #scope - 1) ~= scope or string.sub(stored, at + #scope, at + #scope) ~= ',' then
    return false
  end
  return tonumber(revision), created
end
`;

/**
 * Compare-and-set of one session. KEYS: session, wait index, lease, handled marker.
 * ARGV: scope JSON, expected revision ('' for none), the record after its header, TTL ms, now,
 * '1' when a flow is parked, lease token ('' for none), outcome to remember ('' for none),
 * handled TTL ms, 'delete' to remove the session instead of writing it, the session key (the wait
 * index's member).
 * Returns {'ok', revision, createdAt}, {'conflict'}, {'collision'} or {'corrupt'}.
 */
export const SAVE_SCRIPT = lua(`${READ_HEADER}
local stored = redis.call('GET', KEYS[1])
local revision, created = 0, ARGV[5]
if stored then
  local r, c = header(stored, ARGV[1])
  if r == nil then return {'corrupt'} end
  if r == false then return {'collision'} end
  revision, created = r, c
end
if ARGV[2] == '' then
  if stored then return {'conflict'} end
elseif (not stored) or tonumber(ARGV[2]) ~= revision then
  return {'conflict'}
end
local member = ARGV[11]
if ARGV[10] == 'delete' then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], member)
else
  revision = revision + 1
  redis.call('SET', KEYS[1], '{"revision":' .. revision .. ',"createdAt":' .. created .. ',"scope":' .. ARGV[1] .. ',' .. ARGV[3], 'PX', ARGV[4])
  if ARGV[6] == '1' then
    redis.call('SADD', KEYS[2], member)
    redis.call('PEXPIRE', KEYS[2], ARGV[4])
  else
    redis.call('SREM', KEYS[2], member)
  end
end
if ARGV[8] ~= '' then redis.call('SET', KEYS[4], ARGV[8], 'PX', ARGV[9]) end
if ARGV[7] ~= '' and redis.call('GET', KEYS[3]) == ARGV[7] then redis.call('DEL', KEYS[3]) end
return {'ok', revision, created}
`);

/** Removes one session of the caller's scope. KEYS: session, wait index. ARGV: scope JSON, session key. Returns 1 or 0. */
export const DELETE_SCRIPT = lua(`${READ_HEADER}
local stored = redis.call('GET', KEYS[1])
if not stored or not header(stored, ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[2])
return 1
`);

/**
 * Takes the session's lease and reads what the turn needs. KEYS: lease, session[, handled marker].
 * ARGV: token, lease ms. Returns {0} when another turn holds the lease, else {1, session or '', outcome or ''}.
 */
export const OPEN_TURN_SCRIPT = lua(`
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
local handled = ''
if KEYS[3] then handled = redis.call('GET', KEYS[3]) or '' end
return {1, redis.call('GET', KEYS[2]) or '', handled}
`);

/** Extends the lease while its turn runs. KEYS: lease. ARGV: token, lease ms. Returns 1 while the token still holds it. */
export const RENEW_LEASE_SCRIPT = lua(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
`);

/** Gives the lease back if the token still holds it. KEYS: lease. ARGV: token. */
export const RELEASE_LEASE_SCRIPT = lua(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);
