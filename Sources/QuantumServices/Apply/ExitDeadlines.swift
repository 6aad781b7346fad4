import QuantumCore

/// The exit plans in flight and when each must have its terminal result (invariant 10: an exit, seconds).
///
/// A plan past its deadline is reported once: as soon as the watcher sees it late, or when it ends
/// late if the watcher had not seen it yet. Either way one alert and one count per late plan.
actor ExitDeadlines {
    private var due: [String: EpochMillis] = [:]
    private var reported: Set<String> = []

    /// An exit plan starts; `deadline` is its creation plus the configured bound.
    func begin(_ planID: String, deadline: EpochMillis) {
        if due[planID] == nil { due[planID] = deadline }
    }

    /// An exit plan ended; `true` when it ended late and had not been reported yet.
    func end(_ planID: String, at now: EpochMillis) -> Bool {
        guard let deadline = due.removeValue(forKey: planID) else { return false }
        return reported.remove(planID) == nil && now > deadline
    }

    /// Stops watching a plan without judging it (a repeat delivery answered as a duplicate).
    func forget(_ planID: String) {
        due.removeValue(forKey: planID)
        reported.remove(planID)
    }

    /// Plans past their deadline not reported before (each is returned once).
    func overdue(at now: EpochMillis) -> [(planID: String, deadline: EpochMillis)] {
        let late = due.filter { $0.value < now && !reported.contains($0.key) }.sorted { $0.value < $1.value }
        for entry in late { reported.insert(entry.key) }
        return late.map { ($0.key, $0.value) }
    }
}
