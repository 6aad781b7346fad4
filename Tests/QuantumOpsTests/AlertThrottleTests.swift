import QuantumCore
@testable import QuantumOps
import Testing

@Suite(.timeLimit(.minutes(3))) struct AlertThrottleTests {
    static func alert(_ key: String, _ severity: Alert.Severity = .error, at seconds: Int64) -> Alert {
        Alert(key: key, severity: severity, message: "m \(key)", time: EpochMillis(seconds * 1_000))
    }

    @Test func aConditionIsAnnouncedOnceAndResolvedOnce() {
        var throttle = AlertThrottle()
        #expect(throttle.event(Self.alert("stale:apply-layer", at: 0)) == [.send(Self.alert("stale:apply-layer", at: 0))])
        #expect(throttle.event(Self.alert("stale:apply-layer", at: 1)).isEmpty)
        #expect(throttle.event(Self.alert("stale:apply-layer", at: 2)).isEmpty)
        let resolved = Self.alert("stale:apply-layer", .resolved, at: 3)
        #expect(throttle.event(resolved) == [.send(resolved)])
        // Resolved twice, or never announced: nothing to say.
        #expect(throttle.event(Self.alert("stale:apply-layer", .resolved, at: 4)).isEmpty)
        #expect(throttle.event(Self.alert("never-seen", .resolved, at: 4)).isEmpty)
        // After its resolution the same condition is news again.
        #expect(throttle.event(Self.alert("stale:apply-layer", at: 5)).count == 1)
    }

    @Test func aLastingConditionIsRemindedAfterTheRepeatInterval() {
        var configuration = AlertThrottle.Configuration()
        configuration.repeatAfter = .seconds(600)
        var throttle = AlertThrottle(configuration: configuration)
        #expect(throttle.event(Self.alert("unprotected:BTCUSDT", at: 0)).count == 1)
        #expect(throttle.event(Self.alert("unprotected:BTCUSDT", at: 599)).isEmpty)
        #expect(throttle.event(Self.alert("unprotected:BTCUSDT", at: 600)).count == 1)
    }

    @Test func theRateLimitHoldsBackTheRestAndReportsHowMany() {
        var configuration = AlertThrottle.Configuration()
        configuration.maximumPerWindow = 3
        configuration.window = .seconds(60)
        var throttle = AlertThrottle(configuration: configuration)
        var sent = 0
        for i in 0..<10 { sent += throttle.event(Self.alert("k\(i)", at: Int64(i))).count }
        #expect(sent == 3)
        #expect(throttle.tick(at: EpochMillis(30_000)).isEmpty)
        #expect(throttle.tick(at: EpochMillis(61_000)) == [.suppressed(count: 7, at: EpochMillis(61_000))])
        #expect(throttle.tick(at: EpochMillis(200_000)).isEmpty)
        // A new window sends again.
        #expect(throttle.event(Self.alert("k99", at: 201)).count == 1)
    }

    @Test func aResolutionGoesOutEvenWhenTheWindowIsFull() {
        var configuration = AlertThrottle.Configuration()
        configuration.maximumPerWindow = 1
        var throttle = AlertThrottle(configuration: configuration)
        #expect(throttle.event(Self.alert("a", at: 0)).count == 1)
        #expect(throttle.event(Self.alert("b", at: 1)).isEmpty)
        #expect(throttle.event(Self.alert("a", .resolved, at: 2)).count == 1)
    }
}
