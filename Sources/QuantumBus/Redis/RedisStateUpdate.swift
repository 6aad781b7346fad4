import QuantumCore
import QuantumRedis

/// One state-store call as a single Lua script: its conditions and changes are data, so Redis checks and applies them
/// in one round trip, atomically, with no `WATCH` and no retry.
///
/// The script is the shared store semantics (`StateSlots`) written for the server: expired keys read as absent, a
/// string read as a hash (or the reverse) is `.wrongType`, a replaced string keeps its expiry on compare-and-set, an
/// emptied hash is deleted. It works on copies of the slots and writes only once every change has succeeded, so a call
/// that fails writes nothing. A counter beyond 2⁵³ (Lua's exact integers) is refused with `FALLBACK`, and the store
/// then runs the call as a `WATCH` transaction with Swift's 64-bit arithmetic. The contract suite holds both paths to
/// the same semantics as the memory and SQLite stores.
struct RedisStateUpdate: Sendable {
    private var names: [String] = []
    private var index: [String: Int] = [:]
    private var operations: [RedisArgument] = []

    /// An empty call.
    init() {}

    /// The 1-based index of `key` among the script's keys, added on first use.
    private mutating func slot(_ key: String) -> RedisArgument {
        if let found = index[key] { return .integer(found) }
        names.append(key)
        index[key] = names.count
        return .integer(names.count)
    }

    private mutating func append(_ code: String, _ key: String, _ arguments: [RedisArgument] = []) {
        operations.append(.string(code))
        operations.append(slot(key))
        operations += arguments
    }

    private static func expiry(_ at: EpochMillis?) -> RedisArgument { at.map { .integer(Int($0.rawValue)) } ?? .string("") }

    /// A call of `mutations` at `now`, if every one of `conditions` holds.
    init(when conditions: [StateCondition], _ mutations: [StateMutation], now: EpochMillis) {
        for condition in conditions { require(condition) }
        for mutation in mutations { apply(mutation, now: now) }
    }

    /// Requires `condition`; the call applies nothing (and reports so) when one does not hold.
    mutating func require(_ condition: StateCondition) {
        switch condition {
        case let .stringEquals(key, value):
            append("se", key, [.string(value == nil ? "0" : "1"), .string(value ?? "")])
        case let .fieldEquals(key, field, value):
            append("fe", key, [.string(field), .string(value == nil ? "0" : "1"), .string(value ?? "")])
        case let .absent(key):
            append("ab", key)
        }
    }

    /// Applies `mutation` at `now`.
    mutating func apply(_ mutation: StateMutation, now: EpochMillis) {
        switch mutation {
        case let .setString(key, value, ttl):
            append("ss", key, [.string(value), Self.expiry(now.expiry(after: ttl))])
        case let .setFields(key, fields):
            var arguments: [RedisArgument] = [.integer(fields.count)]
            for (field, value) in fields.sorted(by: { $0.key < $1.key }) { arguments += [.string(field), .string(value)] }
            append("sf", key, arguments)
        case let .removeFields(key, fields):
            append("rf", key, [.integer(fields.count)] + fields.map { RedisArgument.string($0) })
        case let .delete(key):
            append("de", key)
        case let .increment(key, delta):
            increment(key, by: delta, expiresAt: nil)
        }
    }

    /// Replaces a string that the call's condition has just read, keeping its expiry (compare-and-set).
    mutating func replaceKeepingExpiry(_ key: String, with value: String) {
        append("sk", key, [.string(value)])
    }

    /// Adds `delta` to a counter; `expiresAt` applies when the counter is created.
    mutating func increment(_ key: String, by delta: Int64, expiresAt: EpochMillis?) {
        append("in", key, [.string(String(delta)), Self.expiry(expiresAt)])
    }

    /// Runs the call at `now`: whether it applied, and the value of its last increment (the new count) or delete
    /// ("1" if the key was live); `nil` when the script refused with `FALLBACK`.
    func run(on client: RedisClient, names busNames: RedisBusNames, now: EpochMillis) async throws -> (applied: Bool, value: String?)? {
        do {
            return try Self.outcome(.success(try await client.evalsha(Self.script, keys: keys(busNames), arguments: arguments(now))))
        } catch let error as RedisError {
            return try Self.outcome(.failure(error))
        }
    }

    /// The call as one command (for a pipeline; the script must be loaded).
    func command(names busNames: RedisBusNames, now: EpochMillis) -> RedisCommand {
        .evalsha(Self.script, keys: keys(busNames), arguments: arguments(now))
    }

    private func keys(_ busNames: RedisBusNames) -> [String] { [busNames.expiries] + names.map(busNames.key) }

    private func arguments(_ now: EpochMillis) -> [RedisArgument] {
        [.integer(Int(now.rawValue)), .integer(names.count)] + names.map { RedisArgument.string($0) } + operations
    }

    /// What the script's reply says: as `run`.
    static func outcome(_ reply: Result<RESPValue, RedisError>) throws -> (applied: Bool, value: String?)? {
        let value: RESPValue
        switch reply {
        case .success(let success):
            value = success
        case .failure(let error):
            switch error.serverErrorKind {
            case "FALLBACK": return nil
            case "NOTINT": throw StateStoreError(.notAnInteger, String(error.message.dropFirst("NOTINT ".count)))
            case "WRONGTYPE": throw StateStoreError(.wrongType, String(error.message.dropFirst("WRONGTYPE ".count)))
            default: throw StateStoreError(redis: error)
            }
        }
        guard let parts = value.array, let applied = parts.first?.int else {
            throw StateStoreError(.backendFailure, "Redis replied \(value) to a state update")
        }
        return (applied == 1, parts.count > 1 ? parts[1].string : nil)
    }

    /// KEYS: the expiry hash, then the keys. ARGV: now, the key count, the keys' names, then the operations (a code,
    /// the key's index, its arguments) → {1, value} when applied, {0} when a condition did not hold.
    static let script = RedisScript("""
        local now, n = tonumber(ARGV[1]), tonumber(ARGV[2])
        local function fail(kind, text) error({err = kind .. ' ' .. text}) end
        local slots = {}
        for i = 1, n do
          local key, name = KEYS[i + 1], ARGV[2 + i]
          local t = redis.call('TYPE', key)['ok']
          local e = redis.call('HGET', KEYS[1], name)
          local s = {name = name, stored = t ~= 'none'}
          if t == 'string' then
            s.kind, s.value = 'string', redis.call('GET', key)
          elseif t == 'hash' then
            local flat, fields = redis.call('HGETALL', key), {}
            for j = 1, #flat, 2 do fields[flat[j]] = flat[j + 1] end
            s.kind, s.fields = 'hash', fields
          elseif t ~= 'none' then
            fail('WRONGTYPE', name .. ' holds a Redis ' .. t .. ', not a string or a hash')
          end
          if s.kind and e then
            if tonumber(e) <= now then s.kind, s.value, s.fields = nil, nil, nil else s.expiry = e end
          end
          slots[i] = s
        end
        local function str(s)
          if s.kind == 'hash' then fail('WRONGTYPE', s.name .. ' holds a hash, not a string') end
          return s.value
        end
        local function hash(s)
          if s.kind == 'string' then fail('WRONGTYPE', s.name .. ' holds a string, not a hash') end
          return s.fields or {}
        end
        local function put(s, kind, value, fields, expiry)
          s.kind, s.value, s.fields, s.expiry, s.changed = kind, value, fields, expiry, true
        end
        local function run()
          local i, result = 3 + n, nil
          while i <= #ARGV do
            local code, s = ARGV[i], slots[tonumber(ARGV[i + 1])]
            i = i + 2
            if code == 'se' then
              local want = ARGV[i] == '1' and ARGV[i + 1] or nil
              i = i + 2
              if str(s) ~= want then return 0 end
            elseif code == 'fe' then
              local want = ARGV[i + 1] == '1' and ARGV[i + 2] or nil
              local field = ARGV[i]
              i = i + 3
              if hash(s)[field] ~= want then return 0 end
            elseif code == 'ab' then
              if s.kind then return 0 end
            elseif code == 'ss' then
              put(s, 'string', ARGV[i], nil, ARGV[i + 1] ~= '' and ARGV[i + 1] or nil)
              i = i + 2
            elseif code == 'sk' then
              put(s, 'string', ARGV[i], nil, s.expiry)
              i = i + 1
            elseif code == 'sf' then
              local merged, count = {}, 0
              for k, v in pairs(hash(s)) do merged[k] = v; count = count + 1 end
              local m = tonumber(ARGV[i])
              for j = 1, m do
                local k = ARGV[i + 2 * j - 1]
                if merged[k] == nil then count = count + 1 end
                merged[k] = ARGV[i + 2 * j]
              end
              i = i + 1 + 2 * m
              if count > 0 then put(s, 'hash', nil, merged, s.expiry) end
            elseif code == 'rf' then
              local m = tonumber(ARGV[i])
              if s.kind then
                local remaining, count = {}, 0
                for k, v in pairs(hash(s)) do remaining[k] = v; count = count + 1 end
                for j = 1, m do
                  local k = ARGV[i + j]
                  if remaining[k] ~= nil then remaining[k] = nil; count = count - 1 end
                end
                if count > 0 then put(s, 'hash', nil, remaining, s.expiry) else put(s, nil, nil, nil, nil) end
              end
              i = i + 1 + m
            elseif code == 'de' then
              result = s.kind and '1' or '0'
              if s.kind or s.stored then put(s, nil, nil, nil, nil) end
            elseif code == 'in' then
              local base, expiry = 0, ARGV[i + 1] ~= '' and ARGV[i + 1] or nil
              if s.kind == 'hash' then fail('WRONGTYPE', s.name .. ' holds a hash, not a counter') end
              if s.kind == 'string' then
                local text = s.value
                if not string.match(text, '^[+-]?%d+$') then fail('NOTINT', s.name .. ' holds "' .. text .. '", not an integer') end
                if #string.gsub(text, '^[+-]?0*', '') > 15 then fail('FALLBACK', 'a counter beyond 15 digits') end
                base, expiry = tonumber(text), s.expiry
              end
              local delta = ARGV[i]
              if #string.gsub(delta, '^[+-]?0*', '') > 15 then fail('FALLBACK', 'an increment beyond 15 digits') end
              local sum = base + tonumber(delta)
              if sum >= 1e15 or sum <= -1e15 then fail('FALLBACK', 'a counter beyond 15 digits') end
              result = string.format('%d', sum)
              put(s, 'string', result, nil, expiry)
              i = i + 2
            else
              fail('ERR', 'unknown state operation ' .. tostring(code))
            end
          end
          return 1, result
        end
        local ok, applied, result = pcall(run)
        if not ok then
          -- Redis hands a raised {err = ...} back to pcall as its text: the kind stays its first word.
          if type(applied) == 'table' then return applied end
          return redis.error_reply(tostring(applied))
        end
        if applied == 0 then return {0} end
        for i = 1, n do
          local s = slots[i]
          if s.changed then
            local key = KEYS[i + 1]
            redis.call('DEL', key)
            if s.kind == 'string' then
              redis.call('SET', key, s.value)
            elseif s.kind == 'hash' then
              local flat = {}
              for k, v in pairs(s.fields) do
                flat[#flat + 1] = k; flat[#flat + 1] = v
                if #flat == 200 then redis.call('HSET', key, unpack(flat)); flat = {} end
              end
              if #flat > 0 then redis.call('HSET', key, unpack(flat)) end
            end
            if s.kind and s.expiry then redis.call('HSET', KEYS[1], s.name, s.expiry) else redis.call('HDEL', KEYS[1], s.name) end
          end
        end
        return {1, result or ''}
        """)
}
