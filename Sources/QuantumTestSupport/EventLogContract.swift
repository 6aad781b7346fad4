import QuantumBus
import QuantumCore
import Testing

/// Makes a fresh, empty event log under test whose clock is `clock`.
public typealias EventLogFactory = @Sendable (ManualEpochClock) async throws -> any EventLog

/// One named check of the event log contract.
public typealias EventLogCheck = ContractCheck<EventLogFactory>

/// The contract every `EventLog` backend passes, written once.
///
/// Each backend's tests run every check: `@Test(arguments: EventLogContract.checks)`. Checks drive
/// time with a `ManualEpochClock` and synchronise by awaiting events, never by sleeping.
public enum EventLogContract {
    /// Every check of the contract.
    public static let checks: [EventLogCheck] = [
        EventLogCheck(name: "append ids strictly increase", run: appendIDsStrictlyIncrease),
        EventLogCheck(name: "append keeps fields and stamps the clock", run: appendKeepsFields),
        EventLogCheck(name: "group at tail sees only later entries", run: groupAtTail),
        EventLogCheck(name: "group at beginning sees every entry", run: groupAtBeginning),
        EventLogCheck(name: "group after an id sees later entries", run: groupAfterID),
        EventLogCheck(name: "createGroup is idempotent", run: createGroupIsIdempotent),
        EventLogCheck(name: "readNew delivers each entry once per group", run: readNewDeliversOnce),
        EventLogCheck(name: "consumers of one group share the work", run: consumersShareWork),
        EventLogCheck(name: "every group gets every entry", run: groupsFanOut),
        EventLogCheck(name: "readNew wait wakes on append", run: readNewWaitWakesOnAppend),
        EventLogCheck(name: "readNew wait times out on the clock", run: readNewWaitTimesOut),
        EventLogCheck(name: "readNew wait ends on cancellation", run: readNewWaitEndsOnCancellation),
        EventLogCheck(name: "unknown groups are reported", run: unknownGroups),
        EventLogCheck(name: "invalid arguments are reported", run: invalidArguments),
        EventLogCheck(name: "acknowledge removes pending entries once", run: acknowledgeRemovesPending),
        EventLogCheck(name: "pending lists consumer, idle time and deliveries", run: pendingDetails),
        EventLogCheck(name: "claim respects idle time and moves ownership", run: claimMovesIdleEntries),
        EventLogCheck(name: "claim by ids takes only those, pending and idle", run: claimByIDsTakesOnlyThose),
        EventLogCheck(name: "deadLetter moves an entry with its reason", run: deadLetterMovesEntry),
        EventLogCheck(name: "deadLetterExhausted moves poison entries", run: deadLetterExhaustedMovesPoison),
        EventLogCheck(name: "groups report lag and pending", run: groupsReportLagAndPending),
        EventLogCheck(name: "trimming without groups keeps the newest", run: trimWithoutGroups),
        EventLogCheck(name: "trimming never outruns a group", run: trimNeverOutrunsGroups),
        EventLogCheck(name: "range and reverseRange respect bounds and counts", run: rangeBoundsAndCounts),
    ]

    /// A fresh clock and log.
    static func make(_ factory: EventLogFactory) async throws -> (ManualEpochClock, any EventLog) {
        let clock = ManualEpochClock()
        return (clock, try await factory(clock))
    }

    /// Appends `count` entries `{n: "0"}`, `{n: "1"}`, … and returns their ids.
    static func fill(_ log: any EventLog, _ stream: String, count: Int, from start: Int = 0) async throws -> [EntryID] {
        var ids: [EntryID] = []
        for n in start..<(start + count) { ids.append(try await log.append(stream, fields: ["n": String(n)])) }
        return ids
    }

    /// Expects `body` to throw an `EventLogError` with `code`.
    static func expectError(
        _ code: EventLogError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
    ) async {
        let error = await #expect(throws: EventLogError.self, sourceLocation: sourceLocation) { try await body() }
        #expect(error?.code == code, sourceLocation: sourceLocation)
    }
}
