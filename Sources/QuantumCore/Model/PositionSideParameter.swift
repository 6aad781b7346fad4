/// Which position an order acts on: `BOTH` in one-way mode, `LONG`/`SHORT` in hedge mode.
public enum PositionSideParameter: String, Hashable, Sendable, CaseIterable {
    case both = "BOTH"
    case long = "LONG"
    case short = "SHORT"
}
