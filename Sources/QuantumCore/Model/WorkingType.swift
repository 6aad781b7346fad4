/// How a conditional order's trigger is compared: mark price or last contract price.
public enum WorkingType: String, Hashable, Sendable, CaseIterable {
    case markPrice = "MARK_PRICE"
    case contractPrice = "CONTRACT_PRICE"
}
