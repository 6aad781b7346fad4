import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3))) struct PositionLedgerTests {
    func fill(_ side: OrderSide, _ q: String, _ p: String, fee: String = "0") -> Fill {
        Fill(side: side, quantity: Quantity(q)!, price: Price(p)!, fee: Notional(fee)!)
    }

    @Test func entryIsFillWeightedAndQuantityIsTheSumOfFills() throws {
        var ledger = PositionLedger()
        #expect(try ledger.apply(fill(.buy, "0.1", "50000", fee: "2.5")) == .opened)
        #expect(try ledger.apply(fill(.buy, "0.3", "51000", fee: "7.65")) == .increased)
        #expect(ledger.quantity == Quantity("0.4")!)
        #expect(ledger.entryPrice == Price("50750")!)
        #expect(ledger.fees == Notional("10.15")!)
        #expect(ledger.direction == .long)
        #expect(try ledger.unrealizedPnL(at: Price("51750")!) == Notional("400")!)
    }

    @Test func reducingRealisesPnLAndKeepsTheEntry() throws {
        var ledger = PositionLedger()
        try ledger.apply(fill(.sell, "2", "3000"))
        #expect(ledger.quantity == Quantity("-2")!)
        #expect(try ledger.apply(fill(.buy, "0.5", "2900")) == .reduced(realized: Notional("50")!))
        #expect(ledger.entryPrice == Price("3000")!)
        #expect(try ledger.unrealizedPnL(at: Price("2900")!) == Notional("150")!)
        #expect(try ledger.apply(fill(.buy, "1.5", "3100")) == .closed(realized: Notional("-150")!))
        #expect(ledger.quantity == .zero && ledger.entryPrice == .zero && ledger.direction == nil)
        #expect(ledger.realizedPnL == Notional("-100")!)
    }

    @Test func anOversizedOppositeFillFlips() throws {
        var ledger = PositionLedger()
        try ledger.apply(fill(.buy, "1", "100"))
        #expect(try ledger.apply(fill(.sell, "3", "110")) == .flipped(realized: Notional("10")!))
        #expect(ledger.quantity == Quantity("-2")!)
        #expect(ledger.entryPrice == Price("110")!)
    }

    @Test func invalidFillsChangeNothing() {
        var ledger = PositionLedger(quantity: Quantity("1")!, entryPrice: Price("100")!)
        let before = ledger
        #expect(throws: MoneyError.self) { try ledger.apply(fill(.buy, "0", "100")) }
        #expect(throws: MoneyError.self) { try ledger.apply(Fill(side: .sell, quantity: Quantity("1")!, price: .zero)) }
        #expect(ledger == before)
    }
}
