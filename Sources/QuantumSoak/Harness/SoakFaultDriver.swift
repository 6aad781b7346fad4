import QuantumBus
import QuantumCore
import QuantumExchange
import QuantumServices
import QuantumVenue
import Synchronization

/// Injects the soak's faults at moments drawn from the seed: the exchange misbehaving, a person trading by hand,
/// a process crashing, a disk filling up, an operator pulling the kill switch.
final class SoakFaultDriver: Sendable {
    /// What was injected, and when the venue or the executor could not do their work.
    struct Record: Sendable {
        var injected: [SoakFault: Int] = [:]
        /// Intervals in which the venue refused or stalled requests, or the executor was down.
        var stalls: [(from: EpochMillis, to: EpochMillis)] = []
        /// Intervals in which the kill switch was on.
        var killSwitch: [(from: EpochMillis, to: EpochMillis)] = []
        var log: [(time: EpochMillis, line: String)] = []
    }

    private let host: ExchangeHost
    private let clock: any EpochClock
    /// The store as an operator reaches it (the kill switch): not through the process, so never refused.
    private let store: any StateStore
    private let disk: SoakDisk
    private let lives: SoakLives
    private let manual: any Venue
    private let symbols: [Symbol]
    private let kinds: [SoakFault]
    private let meanGap: Duration
    private let state: Mutex<(rng: SplitMix64, record: Record, slowPlacement: (at: EpochMillis, delay: Duration)?)>

    init(seed: UInt64, host: ExchangeHost, clock: any EpochClock, store: any StateStore, disk: SoakDisk,
         lives: SoakLives, manual: any Venue,
         configuration: SoakConfiguration) {
        self.host = host
        self.clock = clock
        self.store = store
        self.disk = disk
        self.lives = lives
        self.manual = manual
        symbols = configuration.symbols
        kinds = configuration.faults.sorted()
        meanGap = .seconds(3_600 / max(configuration.faultsPerHour, 0.001))
        state = Mutex((SplitMix64(seed: seed, stream: "faults"), Record(), nil))
    }

    var record: Record { state.withLock { $0.record } }

    /// How long the process stays down after a crash before its supervisor starts it again: 1 to 10 s.
    func downtime() -> Duration {
        .milliseconds(1_000 + Int64(draw(9_000)))
    }

    /// A placement fault (late execution, latency spike) waits for the next order, which may come minutes later: the
    /// venue may stall any exit from the fault's arming until it is taken back, plus the delay and a query's time.
    private var slowPlacementArmed: EpochMillis? { state.withLock { $0.slowPlacement?.at } }

    private func disarmSlowPlacements(at now: EpochMillis) {
        state.withLock { state in
            guard let armed = state.slowPlacement else { return }
            state.record.stalls.append((armed.at, now.advanced(by: armed.delay + .seconds(30))))
            state.slowPlacement = nil
        }
    }

    private func draw(_ bound: UInt64) -> UInt64 {
        state.withLock { $0.rng.next() % max(bound, 1) }
    }

    /// Injects faults until `end` (virtual time), then clears the exchange's and leaves the system to settle.
    func run(until end: EpochMillis) async {
        guard !kinds.isEmpty else { return }
        var marketNewUntil: EpochMillis?
        var killSwitchUntil: EpochMillis?
        defer { disarmSlowPlacements(at: clock.now()) }
        while !Task.isCancelled {
            // Exponential gaps: about `faultsPerHour` an hour, never two at the same instant.
            let unit = Double(draw(1_000_000) + 1) / 1_000_000
            let gap = max(Duration.seconds(1), meanGap * (-log(unit)))
            do { try await clock.sleep(for: gap) } catch { return }
            let now = clock.now()
            if let until = marketNewUntil, now >= until {
                await host.updateFaults { $0.marketRepliesNew = false }
                marketNewUntil = nil
            }
            if let until = killSwitchUntil, now >= until {
                _ = try? await store.delete(StateKey.killSwitch)
                note(now, "kill switch off")
                killSwitchUntil = nil
            }
            // A slow placement armed at the last fault and not used since is taken back: the venue stalled, or could
            // have, from its arming until now.
            if slowPlacementArmed != nil {
                await host.updateFaults { $0.delayedPlacements = 0; $0.lateExecutions = 0 }
                disarmSlowPlacements(at: now)
            }
            if now >= end { break }
            let kind = kinds[Int(draw(UInt64(kinds.count)))]
            switch kind {
            case .marketRepliesNew:
                marketNewUntil = now.advanced(by: .seconds(300))
            case .killSwitch:
                if killSwitchUntil != nil { continue }
                killSwitchUntil = now.advanced(by: .seconds(600))
            default:
                break
            }
            await inject(kind, at: now, until: kind == .killSwitch ? killSwitchUntil : nil)
        }
        await host.updateFaults { $0 = FaultPlan() }
        if killSwitchUntil != nil {
            _ = try? await store.delete(StateKey.killSwitch)
            note(clock.now(), "kill switch off")
        }
    }

    private func inject(_ kind: SoakFault, at now: EpochMillis, until: EpochMillis?) async {
        var stall: Duration?
        switch kind {
        case .replyLostAfterExecution:
            await host.updateFaults { $0.droppedResponses = 1 }
        case .lateExecution:
            let delay = Duration.milliseconds(500 + Int64(draw(4_000)))
            await host.updateFaults { $0.lateExecutions = 1; $0.lateExecutionDelay = delay }
            state.withLock { $0.slowPlacement = (now, delay) }
        case .unknownAfterExecution:
            let status = [408, 502, 503][Int(draw(3))]
            await host.updateFaults { $0.failedAfterExecution = 1; $0.serverErrorStatus = status }
        case .serverErrorBeforeExecution:
            let count = Int(draw(3)) + 1
            await host.updateFaults { $0.serverErrors = count; $0.serverErrorStatus = 503 }
            stall = .seconds(30)
        case .garbledReply:
            await host.updateFaults { $0.garbledResponses = 1 }
        case .rateLimitStorm:
            await host.updateFaults { $0.rateLimitStorm = 3 }
            stall = .seconds(120)
        case .ban:
            await host.updateFaults { $0.bans = 1; $0.banLength = .seconds(60) }
            stall = .seconds(120)
        case .clockSkew:
            await host.updateFaults { $0.refusedTimestamps = 2 }
        case .latencySpike:
            await host.updateFaults { $0.delayedPlacements = 1; $0.placementDelay = .seconds(15) }
            state.withLock { $0.slowPlacement = (now, .seconds(15)) }
        case .streamDrop:
            await host.disconnectAll()
        case .userEventsLost:
            await host.updateFaults { $0.droppedUserEvents = 3 }
        case .userEventsDuplicated:
            await host.updateFaults { $0.duplicatedUserEvents = 10 }
        case .userEventsReordered:
            // Held for less than a second: the events right after them overtake them.
            let delay = Duration.milliseconds(200 + Int64(draw(1_000)))
            await host.updateFaults { $0.delayedUserEvents = 2; $0.userEventDelay = delay }
        case .userEventsDelayed:
            let delay = Duration.seconds(5 + Int64(draw(25)))
            await host.updateFaults { $0.delayedUserEvents = 3; $0.userEventDelay = delay }
        case .partialFill:
            await host.updateFaults { $0.partialFills = 3 }
        case .liquidation:
            // The exchange closes one held position at the mark (a liquidation or auto-deleveraging).
            let held = await host.inspect { desk in
                (try? desk.engine.positions(SoakChecker.key).filter { !$0.quantity.isZero }.map(\.symbol).sorted()) ?? []
            }
            guard !held.isEmpty else { return }
            let symbol = held[Int(draw(UInt64(held.count)))]
            _ = try? await host.perform(.liquidate(apiKey: SoakChecker.key, symbol: symbol))
            note(now, "liquidated \(symbol)")
        case .marketRepliesNew:
            await host.updateFaults { $0.marketRepliesNew = true }
        case .marginRefusal:
            await host.updateFaults { $0.refusedOpens = 2 }
        case .manualTrade:
            await manualTrade()
        case .processCrash:
            // The whole process killed at this instant, wherever each of its tasks is; restarted after a downtime.
            if !lives.crash() { return }
            note(now, "process killed")
        case .crashAtOrderStep:
            guard let point = lives.armNext() else { return }
            note(now, "crash armed at \(point.rawValue)")
        case .serviceCrash:
            let names: [ServiceName] = [.applyLayer, .marketState, .signalBot, .intentBridge, .exitBrain, .harvest, .healthMonitor]
            let name = names[Int(draw(UInt64(names.count)))]
            let downtime = Duration.seconds(Int64(draw(60)))
            // The running life's supervisors (each life has its own: a crashed life's crash channels end with it).
            guard let services = lives.serviceFaults else { return }
            services.crash(name, downFor: downtime)
            // Down for its downtime plus the supervisor's backoff; exits wait for the executor and the exit services.
            if name == .applyLayer || name == .exitBrain || name == .harvest || name == .intentBridge { stall = downtime + .seconds(60) }
            note(now, "crash \(name.rawValue), down \(downtime)")
        case .storeWriteFailure:
            disk.failNextWrites(Int(draw(3)) + 1)
            stall = .seconds(60)
        case .killSwitch:
            _ = try? await store.setFields(StateKey.killSwitch, ["active": "true", "reason": "soak", "since": String(now.rawValue)])
            if let until { state.withLock { $0.record.killSwitch.append((now, until)) } }
        }
        state.withLock { $0.record.injected[kind, default: 0] += 1 }
        if let stall { state.withLock { $0.record.stalls.append((now, now.advanced(by: stall))) } }
        note(now, kind.rawValue)
    }

    /// A person's trade: half of a position closed by hand, or an order placed outside the system that rests.
    private func manualTrade() async {
        let symbol = symbols[Int(draw(UInt64(symbols.count)))]
        let id = ClientOrderID(rawValue: "web_soak_\(draw(1_000_000_000))")!
        guard let row = try? await manual.positions(symbol: symbol).first(where: { $0.symbol == symbol && !$0.quantity.isZero }),
              let held = try? row.quantity.magnitude(), let rules = try? await manual.symbolRules()[symbol],
              let part = try? rules.flooredQuantity(held.scaled(by: 1, over: 2), for: .market), part.isPositive else {
            // Nothing held: a limit order far from the market, placed and left resting.
            if let mark = await host.inspect({ $0.engine.markets[symbol]?.mark }), let rules = try? await manual.symbolRules()[symbol],
               let low = try? rules.roundedPrice(mark.scaled(by: 1, over: 2), .down),
               let quantity = try? rules.flooredQuantity((try? Notional(units: 200 * Notional.one).quantity(at: low)) ?? .zero, for: .limit) {
                _ = await manual.submit(VenueOrderRequest(symbol: symbol, side: .buy, type: .limit, quantity: quantity, price: low,
                                                          timeInForce: .gtc, clientOrderID: id))
            }
            return
        }
        let side: OrderSide = row.quantity.isPositive ? .sell : .buy
        _ = await manual.submit(VenueOrderRequest(symbol: symbol, side: side, quantity: part, reduceOnly: true, clientOrderID: id))
    }

    private func note(_ time: EpochMillis, _ line: String) {
        state.withLock { $0.record.log.append((time, "fault: " + line)) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
