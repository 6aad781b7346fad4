import QuantumRedis

/// The Lua scripts of the Redis event log: each call of the contract that must be one atomic step is one script.
///
/// Entry ids and delivery times come from the log's clock (passed in), not the server's, so ids, idle times and
/// claims mean the same on every backend. Trimming never removes an entry a group has not been delivered or still
/// has pending, which Redis's own `MAXLEN` would.
enum RedisStreamScripts {
    /// Lua helpers shared by the scripts.
    private static let prelude = """
        local function parse(id)
          local ms, seq = string.match(id, '^(%d+)-(%d+)$')
          return tonumber(ms), tonumber(seq)
        end
        local function less(a, b)
          local am, as = parse(a)
          local bm, bs = parse(b)
          return am < bm or (am == bm and as < bs)
        end
        local function groupInfo(key, group)
          local ok, groups = pcall(redis.call, 'XINFO', 'GROUPS', key)
          if not ok then return nil end
          for _, g in ipairs(groups) do
            local info = {}
            for i = 1, #g, 2 do info[g[i]] = g[i + 1] end
            if info['name'] == group then return info end
          end
          return nil
        end
        local function requireGroup(key, group)
          local info = groupInfo(key, group)
          if not info then error({err = 'NOGROUP no group ' .. group .. ' on stream ' .. key}) end
          return info
        end
        local function xadd(key, now, fields)
          if #fields == 0 then fields = {'', ''} end
          local id = redis.pcall('XADD', key, now .. '-*', unpack(fields))
          if type(id) == 'table' and id.err then
            local last = '0-0'
            local info = redis.call('XINFO', 'STREAM', key)
            for i = 1, #info, 2 do if info[i] == 'last-generated-id' then last = info[i + 1] end end
            local ms = string.match(last, '^(%d+)-')
            id = redis.call('XADD', key, ms .. '-*', unpack(fields))
          end
          return id
        end
        local function pendingList(key, group, count)
          if count == 0 then return {} end
          return redis.call('XPENDING', key, group, '-', '+', count)
        end
        """

    /// KEYS: stream. ARGV: now, maxLength (-1: none), field, value, … → the new id.
    static let append = RedisScript(prelude + """

        local key = KEYS[1]
        local fields = {}
        for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
        local id = xadd(key, ARGV[1], fields)
        local maxlen = tonumber(ARGV[2])
        if maxlen >= 0 then
          local excess = redis.call('XLEN', key) - maxlen
          if excess > 0 then
            local floor = nil
            local pending, npending = {}, 0
            for _, g in ipairs(redis.call('XINFO', 'GROUPS', key)) do
              local info = {}
              for i = 1, #g, 2 do info[g[i]] = g[i + 1] end
              if floor == nil or less(info['last-delivered-id'], floor) then floor = info['last-delivered-id'] end
              for _, p in ipairs(pendingList(key, info['name'], info['pending'])) do
                if not pending[p[1]] then pending[p[1]], npending = true, npending + 1 end
              end
            end
            if floor ~= '0-0' then
              local doomed = {}
              for _, e in ipairs(redis.call('XRANGE', key, '-', floor or '+', 'COUNT', excess + npending)) do
                if #doomed >= excess then break end
                if not pending[e[1]] then doomed[#doomed + 1] = e[1] end
              end
              if #doomed > 0 then redis.call('XDEL', key, unpack(doomed)) end
            end
          end
        end
        return id
        """)

    /// KEYS: stream, delivery times. ARGV: group, consumer, count, now → the entries delivered.
    static let deliverNew = RedisScript(prelude + """

        local r = redis.pcall('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[1], '>')
        if type(r) == 'table' and r.err then return r end
        if not r then return {} end
        local entries = r[1][2]
        for _, e in ipairs(entries) do redis.call('HSET', KEYS[2], e[1], ARGV[4]) end
        return entries
        """)

    /// KEYS: stream, delivery times. ARGV: group, id, … → how many were pending.
    static let acknowledge = RedisScript(prelude + """

        requireGroup(KEYS[1], ARGV[1])
        if #ARGV < 2 then return 0 end
        local ids = {}
        for i = 2, #ARGV do ids[#ids + 1] = ARGV[i] end
        local n = redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
        redis.call('HDEL', KEYS[2], unpack(ids))
        return n
        """)

    /// KEYS: stream, delivery times. ARGV: group → {id, consumer, delivered at (or false), deliveries, server idle}, oldest first.
    static let pending = RedisScript(prelude + """

        local info = requireGroup(KEYS[1], ARGV[1])
        local out = {}
        for _, p in ipairs(pendingList(KEYS[1], ARGV[1], info['pending'])) do
          out[#out + 1] = {p[1], p[2], redis.call('HGET', KEYS[2], p[1]), p[4], p[3]}
        end
        return out
        """)

    /// KEYS: stream, delivery times. ARGV: group, consumer, minimum idle ms, count, now, then the ids to consider (none:
    /// every pending entry) → {id, fields, deliveries}.
    static let claim = RedisScript(prelude + """

        local info = requireGroup(KEYS[1], ARGV[1])
        local now, minIdle, count = tonumber(ARGV[5]), tonumber(ARGV[3]), tonumber(ARGV[4])
        local candidates = {}
        if #ARGV > 5 then
          for i = 6, #ARGV do
            local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
            if #p > 0 then candidates[#candidates + 1] = p[1] end
          end
        else
          candidates = pendingList(KEYS[1], ARGV[1], info['pending'])
        end
        local chosen, deliveries = {}, {}
        for _, p in ipairs(candidates) do
          if #chosen >= count then break end
          local at = redis.call('HGET', KEYS[2], p[1])
          local idle = at and (now - tonumber(at)) or p[3]
          if idle >= minIdle then
            chosen[#chosen + 1] = p[1]
            deliveries[p[1]] = p[4]
          end
        end
        if #chosen == 0 then return {} end
        local out = {}
        for _, e in ipairs(redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, unpack(chosen))) do
          if e then
            redis.call('HSET', KEYS[2], e[1], ARGV[5])
            out[#out + 1] = {e[1], e[2], deliveries[e[1]] + 1}
          end
        end
        return out
        """)

    /// KEYS: stream, delivery times, dead-letter stream. ARGV: group, id, now, then the dead-letter fields as name, value
    /// pairs and last the name of the delivery-count field → the entry's delivery count.
    static let deadLetter = RedisScript(prelude + """

        requireGroup(KEYS[1], ARGV[1])
        local id = ARGV[2]
        local p = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
        if #p == 0 then return redis.error_reply('NOTPENDING ' .. id .. ' is not pending in group ' .. ARGV[1]) end
        local deliveries = p[1][4]
        local added, names = {}, {}
        for i = 4, #ARGV - 1, 2 do
          added[#added + 1] = ARGV[i]
          added[#added + 1] = ARGV[i + 1]
          names[ARGV[i]] = true
        end
        local countField = ARGV[#ARGV]
        names[countField] = true
        local fields = {}
        local e = redis.call('XRANGE', KEYS[1], id, id)
        if #e > 0 then
          local original = e[1][2]
          for i = 1, #original, 2 do
            if not names[original[i]] and not (original[i] == '' and #original == 2) then
              fields[#fields + 1] = original[i]
              fields[#fields + 1] = original[i + 1]
            end
          end
        end
        for _, v in ipairs(added) do fields[#fields + 1] = v end
        fields[#fields + 1] = countField
        fields[#fields + 1] = tostring(deliveries)
        redis.call('XACK', KEYS[1], ARGV[1], id)
        redis.call('HDEL', KEYS[2], id)
        xadd(KEYS[3], ARGV[3], fields)
        return deliveries
        """)

    /// KEYS: stream → {name, lag, pending, last delivered id} for each group.
    static let groups = RedisScript(prelude + """

        local ok, groups = pcall(redis.call, 'XINFO', 'GROUPS', KEYS[1])
        if not ok then return {} end
        local out = {}
        for _, g in ipairs(groups) do
          local info = {}
          for i = 1, #g, 2 do info[g[i]] = g[i + 1] end
          local lag = info['lag']
          if type(lag) ~= 'number' then
            lag = #redis.call('XRANGE', KEYS[1], '(' .. info['last-delivered-id'], '+')
          end
          out[#out + 1] = {info['name'], lag, info['pending'], info['last-delivered-id']}
        end
        return out
        """)
}
