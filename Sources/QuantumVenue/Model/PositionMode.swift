/// Binance's position mode: one position per symbol (one-way) or a long and a short (hedge).
///
/// The system runs in one-way mode only (invariant 13): hedge mode lets "close" orders open the other side.
public enum PositionMode: String, Hashable, Sendable {
    case oneWay
    case hedge
}
