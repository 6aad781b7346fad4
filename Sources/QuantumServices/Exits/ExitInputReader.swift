import Logging
import QuantumBus
import QuantumCore

/// One open position with the market it is judged against, as read from the state store.
struct ExitInputs: Sendable {
    var position: PositionRecord
    var mark: Price
    /// The regime state, when the market-state hash has a complete and fresh one.
    var state: MarketState?
}

/// Reads a symbol's position and market state for the exit services, failing closed (invariant 7).
///
/// No position → nothing to judge; an undecodable record is logged and skipped, never guessed at
/// (invariant 8); a missing or stale price means no decision at all, and an incomplete or stale
/// regime state means no kill score, while the price rules can still run.
struct ExitInputReader: Sendable {
    let store: any StateStore
    let maxAge: Duration
    let logger: Logger

    /// The symbols of `symbols` that hold a position record, in their order: one key listing instead of a read per
    /// symbol, since the exit services judge every bar and most symbols hold nothing.
    func held(among symbols: [Symbol]) async throws -> [Symbol] {
        let keys = Set(try await store.keys(prefix: StateKey.positionPrefix))
        return symbols.filter { keys.contains(StateKey.position($0)) }
    }

    /// The inputs for `symbol` at `now`, or `nil` when there is nothing (fresh) to decide on.
    func read(_ symbol: Symbol, now: EpochMillis) async throws -> ExitInputs? {
        let fields = try await store.fields(StateKey.position(symbol))
        if fields.isEmpty { return nil }
        let position: PositionRecord
        do throws(MessageDecodingError) {
            position = try PositionRecord.decode(fields)
        } catch {
            logger.error("position record undecodable; skipped", metadata: ["symbol": "\(symbol)", "error": "\(error)"])
            return nil
        }
        guard position.symbol == symbol else {
            logger.error("position record names another symbol; skipped", metadata: ["symbol": "\(symbol)", "record": "\(position.symbol)"])
            return nil
        }
        let market = MarketStateHash(fields: try await store.fields(StateKey.marketState(symbol)))
        guard let mark = market.price, mark.isPositive, let asOf = market.asOf else {
            logger.debug("no usable mark price; no decision", metadata: ["symbol": "\(symbol)"])
            return nil
        }
        guard now.duration(since: asOf) <= maxAge else {
            logger.debug("mark price stale; no decision", metadata: ["symbol": "\(symbol)", "as_of": "\(asOf)"])
            return nil
        }
        return ExitInputs(position: position, mark: mark, state: state(market, symbol: symbol, now: now))
    }

    /// The regime state of a market-state hash, if every field is present, sane and fresh.
    func state(_ market: MarketStateHash, symbol: Symbol, now: EpochMillis) -> MarketState? {
        guard let state = market.state else { return nil }
        let probabilities = [state.pTrend, state.pMR, state.pChop]
        guard state.sigma > 0, state.ts >= 0, state.bars >= 0, probabilities.allSatisfy({ (0...1).contains($0) }) else {
            logger.debug("market state out of range; no kill score", metadata: ["symbol": "\(symbol)"])
            return nil
        }
        // The regime is as old as the bar it was computed at; the price beside it may be newer.
        guard let stamp = market.barCloseTime ?? market.asOf, now.duration(since: stamp) <= maxAge else {
            logger.debug("market state stale; no kill score", metadata: ["symbol": "\(symbol)"])
            return nil
        }
        return state
    }
}
