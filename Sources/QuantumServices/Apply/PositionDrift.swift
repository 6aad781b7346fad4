import QuantumCore
import QuantumVenue

/// How our position of a symbol differs from the exchange's (invariant 6): pure, decided per symbol.
enum PositionDrift: Hashable, Sendable {
    /// The exchange holds a position we have no record of (a manual open, a lost record).
    case unknownPosition(live: Quantity)
    /// We hold a record, the exchange is flat (a close we did not see: stop, liquidation, ADL, manual).
    case vanished(ours: Quantity)
    /// Both hold a position but the size or direction differs.
    case mismatch(ours: Quantity, live: Quantity)

    /// Compares our record (signed quantity) with the exchange's signed quantity; `nil` when they agree.
    static func compare(ours record: PositionRecord?, live: Quantity) -> PositionDrift? {
        let signed: Quantity = record.map { $0.direction == .long ? $0.quantity : Quantity(units: -$0.quantity.units) } ?? .zero
        if signed == live { return nil }
        if signed.isZero { return .unknownPosition(live: live) }
        if live.isZero { return .vanished(ours: signed) }
        return .mismatch(ours: signed, live: live)
    }

    /// The event word.
    var kind: String {
        switch self {
        case .unknownPosition: "unknown_position"
        case .vanished: "position_vanished"
        case .mismatch: "quantity_mismatch"
        }
    }
}

/// Who closed (or changed) a position when the order was not ours, recognised by its client order id.
enum ExternalFillCause: String, Hashable, Sendable {
    /// Binance's liquidation engine (`autoclose-…`).
    case liquidation
    /// Auto-deleveraging (`adl_autoclose`).
    case adl
    /// Our exchange-side protective stop (a conditional order of ours).
    case protectiveStop = "protective_stop"
    /// Anything else: a person or another program on the account.
    case manual

    init(clientOrderID: String) {
        if clientOrderID.hasPrefix("autoclose-") {
            self = .liquidation
        } else if clientOrderID.hasPrefix("adl_autoclose") {
            self = .adl
        } else if clientOrderID.hasPrefix(ClientOrderID.prefix) {
            self = .protectiveStop
        } else {
            self = .manual
        }
    }

    /// The word a close by this cause is counted under in the exits by reason: a protective stop fill is a `stop_loss`.
    var reasonWord: String {
        switch self {
        case .protectiveStop: ExitReason.stopLoss.rawValue
        case .manual: "external_manual"
        case .liquidation, .adl: rawValue
        }
    }

    /// Whether an order id is one of our plan orders (the executor applies those itself).
    static func isPlanOrder(_ clientOrderID: String) -> Bool {
        ["o", "r", "c", "m"].contains { clientOrderID.hasPrefix("\(ClientOrderID.prefix)\($0)-") }
    }
}
