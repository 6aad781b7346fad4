import QuantumCore
import QuantumTestSupport
import Testing

/// The loss streak counts an instant's closes the same whatever order they are recorded in.
@Suite(.timeLimit(.minutes(1))) struct LossStreakTests {
    let start = EpochMillis(1_770_000_000_000)

    /// What a history of closes did: the pauses each instant started, and the streak after it.
    struct Counted: Equatable {
        var pausesPerInstant: [Int] = []
        var countAfterInstant: [Int] = []
    }

    func count(_ instants: [[Bool]], pauseAfter: Int, from streak: LossStreak = LossStreak()) -> Counted {
        var streak = streak
        var counted = Counted()
        for (index, closes) in instants.enumerated() {
            let time = start.advanced(by: .seconds(Int64(index)))
            counted.pausesPerInstant.append(closes.filter { streak.record(loss: $0, at: time, pauseAfter: pauseAfter) }.count)
            counted.countAfterInstant.append(streak.count)
        }
        return counted
    }

    /// One close per instant: a loss adds one, a win resets, the limit-th loss starts a pause and the count again.
    @Test func oneCloseAnInstantCountsInOrder() {
        let counted = count([[true], [true], [true], [true], [false], [true]], pauseAfter: 3)
        #expect(counted.pausesPerInstant == [0, 0, 1, 0, 0, 0])
        #expect(counted.countAfterInstant == [1, 2, 0, 1, 0, 1])
    }

    /// A win and a loss at one instant after two losses pause opens in either order (losses first), and leave no streak.
    @Test func anInstantsLossesCountBeforeItsWins() {
        for order in [[false, true], [true, false]] {
            let counted = count([[true], [true], order], pauseAfter: 3)
            #expect(counted.pausesPerInstant == [0, 0, 1])
            #expect(counted.countAfterInstant == [1, 2, 0])
        }
    }

    /// Property: any order of each instant's closes gives the same pauses and the same streak, instant by instant, and
    /// the same as counting all of an instant's losses before its wins.
    @Test func theOrderWithinAnInstantChangesNothing() {
        var random = SeededGenerator(seed: 17)
        for _ in 0..<2_000 {
            let pauseAfter = Int.random(in: 0...4, using: &random)
            let instants = (0..<Int.random(in: 1...12, using: &random)).map { _ in
                (0..<Int.random(in: 1...5, using: &random)).map { _ in Bool.random(using: &random) }
            }
            let lossesFirst = count(instants.map { $0.sorted { $0 && !$1 } }, pauseAfter: pauseAfter)
            let shuffled = count(instants.map { $0.shuffled(using: &random) }, pauseAfter: pauseAfter)
            #expect(shuffled == lossesFirst, "\(instants), pause after \(pauseAfter)")
        }
    }

    /// A close recorded late (its time before the latest instant) joins that instant; a stored streak goes on where it was.
    @Test func aLateCloseJoinsTheLatestInstantAndAStoredStreakResumes() {
        var streak = LossStreak()
        let now = start.advanced(by: .seconds(60))
        let started = [streak.record(loss: true, at: now, pauseAfter: 3), streak.record(loss: false, at: now, pauseAfter: 3),
                       streak.record(loss: true, at: start, pauseAfter: 3)]
        #expect(started == [false, false, false])
        #expect(streak.count == 0)

        var account = AccountWindows()
        account.lossStreak = streak
        let restored = AccountWindows(fields: account.fields)
        #expect(restored.lossStreak == streak)
        #expect(AccountWindows(fields: ["consecutive_losses": "2", "loss_streak_at": "soon"]).lossStreak == LossStreak(count: 2))
    }
}
