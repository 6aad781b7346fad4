import QuantumCore
import QuantumSim

/// The user-data-stream keys of the accounts: one active key per account, valid 60 minutes after
/// the last POST or PUT (reference §6.6).
public struct ListenKeys: Hashable, Sendable {
    /// One issued key.
    public struct Entry: Hashable, Sendable {
        public var account: String
        public var expiry: EpochMillis
    }

    /// How long a key lives after its last POST or PUT.
    public var validity: Duration
    public private(set) var entries: [String: Entry] = [:]
    private var issued: UInt64 = 0

    public init(validity: Duration = .seconds(3_600)) {
        self.validity = validity
    }

    /// `POST`: the account's active key, extended, or a new 64-character key.
    public mutating func open(account: String, at now: EpochMillis) -> String {
        if let key = activeKey(of: account, at: now) {
            entries[key]?.expiry = now.advanced(by: validity)
            return key
        }
        issued += 1
        let key = SHA256Digest.hex("listenKey:\(account):\(issued):\(now.rawValue)")
        entries[key] = Entry(account: account, expiry: now.advanced(by: validity))
        return key
    }

    /// `PUT`: extends a key of the account; `-1125` if it is unknown or expired.
    public mutating func keepAlive(_ key: String?, account: String, at now: EpochMillis) throws(ExchangeError) -> String {
        let target = key ?? activeKey(of: account, at: now)
        guard let target, let entry = entries[target], entry.account == account, entry.expiry > now else {
            throw Self.unknownKey
        }
        entries[target]?.expiry = now.advanced(by: validity)
        return target
    }

    /// `DELETE`: closes the account's key (or the named one).
    public mutating func close(_ key: String?, account: String, at now: EpochMillis) throws(ExchangeError) {
        let target = key ?? activeKey(of: account, at: now)
        guard let target, let entry = entries[target], entry.account == account else { throw Self.unknownKey }
        entries[target] = nil
    }

    /// The account a live key belongs to.
    public func account(of key: String, at now: EpochMillis) -> String? {
        guard let entry = entries[key], entry.expiry > now else { return nil }
        return entry.account
    }

    /// The live keys of an account.
    public func keys(of account: String, at now: EpochMillis) -> [String] {
        entries.filter { $0.value.account == account && $0.value.expiry > now }.map(\.key).sorted()
    }

    /// Removes and returns the keys that expired at `now`.
    public mutating func expire(at now: EpochMillis) -> [String] {
        let expired = entries.filter { $0.value.expiry <= now }.map(\.key).sorted()
        for key in expired { entries[key] = nil }
        return expired
    }

    private func activeKey(of account: String, at now: EpochMillis) -> String? {
        keys(of: account, at: now).first
    }

    static let unknownKey = ExchangeError(
        code: -1125, message: "This listenKey does not exist. Please use `POST /fapi/v1/listenKey` to recreate `listenKey`")
}
