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
}
