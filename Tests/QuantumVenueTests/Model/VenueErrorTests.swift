import QuantumVenue
import Testing

/// Which error replies mean "execution status unknown": those must be resolved by query, never taken as rejections.
@Suite(.timeLimit(.minutes(3))) struct VenueErrorTests {
    @Test(arguments: [(408, -1007), (400, -1006), (400, -1007), (500, -1000), (502, nil), (503, -1007), (504, nil)] as [(Int, Int?)])
    func Fault_unknownOutcomeRepliesAreAmbiguousNotRejections(status: Int, code: Int?) {
        let error = VenueError.reply(status: status, binanceCode: code, message: "POST /fapi/v1/order: unknown", retryAfter: nil)
        #expect(error.code == .serverError)
        #expect(error.isAmbiguous)
    }

    @Test func definiteRefusalsStayRejections() {
        for code in [-2019, -2022, -4131, -1111, -1121] {
            let error = VenueError.reply(status: 400, binanceCode: code, message: "refused", retryAfter: nil)
            #expect(error.code == .rejected && !error.isAmbiguous, "code \(code)")
        }
        #expect(VenueError.reply(status: 400, binanceCode: -1021, message: "", retryAfter: nil).code == .timestamp)
        #expect(VenueError.reply(status: 429, binanceCode: -1003, message: "", retryAfter: nil).code == .rateLimited)
    }

    /// What a starting process waits out (and retries) and what it stops on.
    @Test func startUpWaitsOutWhatPassesAndStopsOnWhatDoesNot() {
        let passes: [(Int, Int?)] = [(503, -1007), (502, nil), (408, nil), (429, -1003), (400, -1021)]
        for (status, code) in passes {
            #expect(VenueError.reply(status: status, binanceCode: code, message: "", retryAfter: nil).isTransient, "\(status) \(code ?? 0)")
        }
        #expect(VenueError(.transport, "connection refused").isTransient)
        #expect(VenueError(.undecodable, "cut off").isTransient)
        let stays: [(Int, Int?)] = [(418, nil), (401, -2015), (400, -1022), (400, -2019)]
        for (status, code) in stays {
            #expect(!VenueError.reply(status: status, binanceCode: code, message: "", retryAfter: nil).isTransient, "\(status) \(code ?? 0)")
        }
        #expect(!VenueError(.configuration, "hedge mode").isTransient)
    }
}
