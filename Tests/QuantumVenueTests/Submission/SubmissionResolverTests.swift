import QuantumCore
import QuantumVenue
import Testing

/// The resolver never resends before a query, and resends only on proof of absence.
@Suite(.timeLimit(.minutes(3))) struct SubmissionResolverTests {
    typealias Resolver = SubmissionResolver<String>
    let t0 = EpochMillis(1_000_000)
    let window: Duration = .seconds(5)
    static let timeout = VenueError(.timeout, "no reply")

    @Test func aSuccessFinishesAtOnce() {
        var resolver = Resolver()
        #expect(resolver.start() == .send)
        #expect(resolver.event(.sent(.success("order"), timestamp: t0, recvWindow: window)) == .finish(.placed("order")))
        #expect(resolver.sends == 1 && resolver.queries == 0)
    }

    @Test func anAmbiguousSendIsQueriedImmediatelyAndFound() {
        var resolver = Resolver()
        _ = resolver.start()
        #expect(resolver.event(.sent(.failure(Self.timeout), timestamp: t0, recvWindow: window)) == .query(after: .zero))
        #expect(resolver.event(.found("order")) == .finish(.placed("order")))
        #expect(resolver.sends == 1)
    }

    @Test func anAbsenceInsideTheWindowIsNotProof() {
        var resolver = Resolver()
        _ = resolver.start()
        _ = resolver.event(.sent(.failure(VenueError(.serverError, "503")), timestamp: t0, recvWindow: window))
        // Absent at t0 + 1 s: the lost request may still arrive until t0 + 5 s (+1 s margin).
        #expect(resolver.event(.absent(now: t0.advanced(by: .seconds(1)))) == .query(after: .seconds(5)))
        // Absent after the window: proof. Resend (same id).
        #expect(resolver.event(.absent(now: t0.advanced(by: .seconds(6)))) == .send)
        #expect(resolver.sends == 2)
        #expect(resolver.event(.sent(.success("order"), timestamp: t0.advanced(by: .seconds(6)), recvWindow: window)) == .finish(.placed("order")))
    }

    @Test func aDefiniteRejectionFinishesWithoutQuery() {
        var resolver = Resolver()
        _ = resolver.start()
        let margin = VenueError(.rejected, "Margin is insufficient.", binanceCode: -2019, httpStatus: 400)
        #expect(resolver.event(.sent(.failure(margin), timestamp: t0, recvWindow: window)) == .finish(.rejected(margin)))
        #expect(resolver.queries == 0)
    }

    @Test func aDuplicateClientIDIsLookedUp() {
        var resolver = Resolver()
        _ = resolver.start()
        let duplicate = VenueError(.rejected, "clientOrderId is duplicated", binanceCode: -4116, httpStatus: 400)
        #expect(resolver.event(.sent(.failure(duplicate), timestamp: t0, recvWindow: window)) == .query(after: .zero))
        #expect(resolver.event(.found("order")) == .finish(.placed("order")))
    }

    @Test func refusalsBeforeExecutionResendAfterTheirDelay() {
        var resolver = Resolver()
        _ = resolver.start()
        let limited = VenueError(.rateLimited, "429", binanceCode: -1003, httpStatus: 429, retryAfter: .seconds(30))
        #expect(resolver.event(.sent(.failure(limited), timestamp: t0, recvWindow: window)) == .resend(after: .seconds(30)))
        let skew = VenueError(.timestamp, "outside recvWindow", binanceCode: -1021, httpStatus: 400)
        #expect(resolver.event(.sent(.failure(skew), timestamp: t0, recvWindow: window)) == .resend(after: .zero))
        // The resend budget (2) is spent: the next refusal is final.
        #expect(resolver.event(.sent(.failure(skew), timestamp: t0, recvWindow: window)) == .finish(.rejected(skew)))
    }

    @Test func queriesThatKeepFailingEndUnresolvedWithBackoff() {
        var policy = SubmissionPolicy()
        policy.maximumQueries = 4
        var resolver = Resolver(configuration: policy)
        _ = resolver.start()
        #expect(resolver.event(.sent(.failure(Self.timeout), timestamp: t0, recvWindow: window)) == .query(after: .zero))
        #expect(resolver.event(.queryFailed(Self.timeout)) == .query(after: .milliseconds(100)))
        #expect(resolver.event(.queryFailed(Self.timeout)) == .query(after: .milliseconds(200)))
        #expect(resolver.event(.queryFailed(Self.timeout)) == .query(after: .milliseconds(400)))
        guard case .finish(.unresolved(let error)) = resolver.event(.queryFailed(Self.timeout)) else {
            Issue.record("expected unresolved"); return
        }
        #expect(error.code == .timeout)
        #expect(resolver.sends == 1)
    }

    @Test func aBanWhileResolvingStopsAtOnceUnresolved() {
        var resolver = Resolver()
        _ = resolver.start()
        _ = resolver.event(.sent(.failure(Self.timeout), timestamp: t0, recvWindow: window))
        let banned = VenueError(.banned, "418")
        #expect(resolver.event(.queryFailed(banned)) == .finish(.unresolved(banned)))
    }
}
