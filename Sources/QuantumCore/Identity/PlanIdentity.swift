/// The business identity of a plan, from which its id and client order id derive (invariant 2).
///
/// Two intents meaning the same thing produce the same identity, so the executor's claim turns
/// the second into `DUPLICATE` and the exchange never sees it twice — whatever the signal cadence,
/// retries or restarts (FM-01, 02, 32).
///
/// A decision (an open of an epoch, a close, a rung, a stop move) is tried again only under a new
/// attempt number, and the executor raises that number only once it has proven the earlier attempt
/// sent nothing that can still fill. So a failed exit can be retried while one decision still never
/// fills twice.
public indirect enum PlanIdentity: Hashable, Sendable {
    /// An open: one per (symbol, direction, position epoch).
    case open(Symbol, Direction, PositionEpoch)
    /// A later attempt at a decision, after the executor proved the earlier attempts sent nothing
    /// that can fill (refused by the risk guard, rejected by the venue, or ended unfilled): one per attempt.
    case retry(PlanIdentity, attempt: Int)
    /// A ladder rung: one per (symbol, epoch, rung).
    case rung(Symbol, PositionEpoch, Int)
    /// A full close: one per (symbol, epoch).
    case close(Symbol, PositionEpoch)
    /// A stop move: one per (symbol, epoch, new stop level).
    case moveStop(Symbol, PositionEpoch, Price)
    /// A manual partial reduce: one per (symbol, epoch, operator request id).
    case manualReduce(Symbol, PositionEpoch, String)

    /// The open of `epoch`, attempt `attempt` (0 is the first).
    public static func open(_ symbol: Symbol, _ direction: Direction, _ epoch: PositionEpoch, attempt: Int) -> PlanIdentity {
        PlanIdentity.open(symbol, direction, epoch).attempt(attempt)
    }

    /// This decision's attempt `attempt` (0 is the first, and is the decision itself).
    public func attempt(_ attempt: Int) -> PlanIdentity {
        let decision = self.decision
        return attempt <= 0 ? decision : .retry(decision, attempt: attempt)
    }

    /// The decision this identity is an attempt at.
    public var decision: PlanIdentity {
        if case .retry(let decision, _) = self { return decision.decision }
        return self
    }

    public var symbol: Symbol {
        switch self {
        case .open(let s, _, _), .rung(let s, _, _), .close(let s, _), .moveStop(let s, _, _), .manualReduce(let s, _, _): s
        case .retry(let decision, _): decision.symbol
        }
    }

    /// The decision's plan id of a plan id: the id without its attempt suffix (`…:a2`).
    public static func decisionID(ofPlanID planID: String) -> String {
        guard let colon = planID.lastIndex(of: ":") else { return planID }
        let suffix = planID[planID.index(after: colon)...]
        guard suffix.count > 1, suffix.first == "a", suffix.dropFirst().allSatisfy(\.isASCIIDigitCharacter) else { return planID }
        return String(planID[..<colon])
    }

    /// The readable plan id, e.g. `open:BTCUSDT:LONG:e3`, `rung:BTCUSDT:e3:r1`, `close:BTCUSDT:e3`.
    public var planID: String {
        switch self {
        case .open(let s, let d, let e): "open:\(s):\(d.rawValue):e\(e)"
        case .retry(let decision, let a): "\(decision.planID):a\(a)"
        case .rung(let s, let e, let r): "rung:\(s):e\(e):r\(r)"
        case .close(let s, let e): "close:\(s):e\(e)"
        case .moveStop(let s, let e, let p): "stop:\(s):e\(e):\(p)"
        case .manualReduce(let s, let e, let id): "reduce:\(s):e\(e):\(id)"
        }
    }

    private var kindCode: String {
        switch self {
        case .open: "o"
        case .rung: "r"
        case .close: "c"
        case .moveStop: "s"
        case .manualReduce: "m"
        case .retry(let decision, _): decision.kindCode
        }
    }

    /// The Binance client order id: `qt-<kind>-<symbol, ≤10 allowed chars>-<16 hex of SHA-256(plan id)>`, ≤ 32 characters.
    ///
    /// Deterministic, so a retry after a crash or an ambiguous reply reuses it and the order can be
    /// found by it; the hash covers the whole identity, the readable parts help operators.
    public var clientOrderID: ClientOrderID {
        let readable = String(String.UnicodeScalarView(symbol.rawValue.unicodeScalars.filter {
            $0.isASCII && ClientOrderID.isAllowed(UInt8($0.value)) && $0 != "-"
        }).prefix(10))
        let digest = SHA256Digest.hex(planID).prefix(16)
        let id = "\(ClientOrderID.prefix)\(kindCode)-\(readable.isEmpty ? "x" : readable)-\(digest)"
        return ClientOrderID(rawValue: id)!
    }
}

private extension Character {
    /// `0`…`9` only (not other scripts' digits).
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
