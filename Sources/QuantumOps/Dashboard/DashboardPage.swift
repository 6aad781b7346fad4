/// The dashboard's one page (being written).
enum DashboardPage {
    static let html = "<!doctype html><title>Quantum Trader</title>"
}
