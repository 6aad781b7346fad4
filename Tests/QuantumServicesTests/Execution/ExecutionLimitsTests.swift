import QuantumBus
import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import Synchronization
import Testing

/// The executor's account: closes change it one at a time, each from the last one committed.
@Suite(.timeLimit(.minutes(1))) struct ExecutionLimitsTests {
    let clock = ManualEpochClock()
    let loss = Notional("-5")!

    func limits(store: InMemoryStateStore) async throws -> ExecutionLimits {
        var risk = RiskGuard.Configuration()
        risk.maxConsecutiveLosses = 3
        let limits = ExecutionLimits(store: store, risk: risk)
        try await limits.load(at: clock.now())
        return limits
    }

    /// Two losing closes in one bar are two losses. They used to be worked out from the same account, and the later
    /// commit dropped the earlier one's loss: a streak of 1 plus two losses at once stayed at 2 and paused nothing.
    @Test func twoClosesAtOnceEachCountInTheLossStreak() async throws {
        let store = InMemoryStateStore(clock: clock)
        let limits = try await limits(store: store)
        _ = try await limits.recordClose(net: loss, at: clock.now()) { try await store.update($0) }

        // The first close's commit is held until the second close has come in.
        let (held, release) = AsyncStream.makeStream(of: Void.self)
        let (entered, enter) = AsyncStream.makeStream(of: Void.self)
        let first = Task {
            try await limits.recordClose(net: loss, at: clock.now()) { change in
                enter.yield()
                for await _ in held { break }
                try await store.update(change)
            }.pausedUntil
        }
        for await _ in entered { break }
        let secondCommitted = Counter()
        let second = Task {
            try await limits.recordClose(net: loss, at: clock.now()) { change in
                secondCommitted.add()
                try await store.update(change)
            }.pausedUntil
        }
        // The second close waits for the first's commit (before the fix it committed its own account at once).
        while await limits.accountChangesWaiting == 0, secondCommitted.value == 0 { await Task.yield() }
        #expect(secondCommitted.value == 0)
        release.yield()

        let pauses = [try await first.value, try await second.value]
        #expect(pauses.compactMap { $0 }.count == 1, "the third loss in a row starts the pause")
        #expect(pauses[1] != nil, "the close that came second is the third loss")
        #expect(await limits.account.consecutiveLosses == 0)
        let stored = AccountWindows(fields: try await store.fields(StateKey.account))
        #expect(stored.consecutiveLosses == 0)
        #expect(OpenPauses(fields: try await store.fields(StateKey.openPauses)).active(at: clock.now())?.cause == .consecutiveLosses)
    }

    /// A close whose commit fails changes nothing: the next close starts from the account before it.
    @Test func aFailedCommitLeavesTheAccountAsItWas() async throws {
        let store = InMemoryStateStore(clock: clock)
        let limits = try await limits(store: store)
        struct DiskFull: Error {}
        await #expect(throws: DiskFull.self) {
            _ = try await limits.recordClose(net: loss, at: clock.now()) { _ in throw DiskFull() }
        }
        #expect(await limits.account.consecutiveLosses == 0)
        _ = try await limits.recordClose(net: loss, at: clock.now()) { try await store.update($0) }
        #expect(await limits.account.consecutiveLosses == 1)
        #expect(AccountWindows(fields: try await store.fields(StateKey.account)).consecutiveLosses == 1)
        #expect(await limits.accountChangesWaiting == 0)
    }
}

/// A count shared with a task.
private final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func add() { count.withLock { $0 += 1 } }
}
