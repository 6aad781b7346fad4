import ArgumentParser
import Foundation
import QuantumBus
import QuantumCore
import QuantumOps
import QuantumServices

/// `quantum positions`: the executor's positions in a state directory.
struct PositionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "positions", abstract: "Show open positions (from confirmed fills).")

    @OptionGroup var state: StateOptions
    @Flag(help: "JSON output.") var json = false

    func run() async throws {
        let (_, store) = try state.open(create: false)
        var records: [PositionRecord] = []
        for key in try await store.keys(prefix: StateKey.positionPrefix) {
            do { records.append(try PositionRecord.decode(try await store.fields(key))) } catch {
                FileHandle.standardError.write(Data("\(key): unreadable (\(error))\n".utf8))
            }
        }
        if json {
            let rows = records.map { r in
                "{\"symbol\": \"\(r.symbol)\", \"side\": \"\(r.side.rawValue)\", \"quantity\": \"\(r.quantity)\", \"entry_price\": \"\(r.entryPrice)\", "
                    + "\"leverage\": \(r.leverage.rawValue), \"stop_loss\": \(r.stopLoss.map { "\"\($0)\"" } ?? "null"), \"epoch\": \(r.epoch.rawValue), "
                    + "\"realized_pnl\": \"\(r.realizedPnL)\", \"fees\": \"\(r.fees)\", \"opened_at\": \(r.openedAt.rawValue)}"
            }
            print("[" + rows.joined(separator: ", ") + "]")
            return
        }
        if records.isEmpty { print("no open positions"); return }
        print("SYMBOL        SIDE   QUANTITY        ENTRY           LEV  STOP            EPOCH")
        for r in records {
            print([r.symbol.rawValue.padded(13), r.side.rawValue.padded(6), r.quantity.description.padded(15), r.entryPrice.description.padded(15),
                   "\(r.leverage.rawValue)x".padded(4), (r.stopLoss?.description ?? "-").padded(15), "e\(r.epoch)"].joined(separator: " "))
        }
    }
}

/// `quantum results --last N`: the executor's latest results with their decisive reasons.
struct ResultsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results", abstract: "Show the latest plan results and the exit figures (exits by reason, winners scaled, losers cut, R, close rate).")

    @OptionGroup var state: StateOptions
    @Option(help: "How many results.") var last = 20
    @Flag(help: "JSON output.") var json = false

    func validate() throws {
        guard (1...100_000).contains(last) else { throw ValidationError("--last must be 1…100000, got \(last)") }
    }

    func run() async throws {
        let (log, store) = try state.open(create: false)
        let entries = try await log.reverseRange(StreamName.result, from: .max, to: .zero, count: last).reversed()
        // The harvest figures cover every result of the state, not only the last N shown.
        let harvest = try await RunSummary.read(log: log, store: store).harvest
        if json {
            let rows = entries.map { entry in
                "{" + entry.fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value.jsonEscaped)\"" }.joined(separator: ", ") + "}"
            }
            print("{\"results\": [" + rows.joined(separator: ",\n ") + "],\n \"harvest\": {\n" + harvest.jsonMembers + "\n}}")
            return
        }
        if entries.isEmpty { print("no results yet") }
        for entry in entries {
            let f = entry.fields
            let what = f["executed"] == "true" ? "\(f["filled_qty"] ?? "?") @ \(f["avg_price"] ?? "?")" : (f["error"] ?? "")
            print("\(f["ts"] ?? "")  \((f["decision"] ?? "?").padded(9)) \((f["action"] ?? "?").padded(20)) \((f["symbol"] ?? "?").padded(12)) \(what)  \(f["plan_id"] ?? "")")
        }
        print("\n" + harvest.text, terminator: "")
    }
}

/// `quantum halt`: the one kill switch — no new opens; exits carry on.
struct HaltCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "halt", abstract: "Halt opens (exits continue): the kill switch.")

    @OptionGroup var state: StateOptions
    @Option(help: "Why (shown by `resume`, the dashboard and the doctor).") var reason = "operator"
    @Flag(help: "JSON output.") var json = false

    func run() async throws {
        let (_, store) = try state.open(create: false)
        let now = SystemEpochClock().now()
        try await KillSwitch(store: store).halt(reason: reason, at: now)
        print(json ? "{\"halted\": true, \"reason\": \"\(reason.jsonEscaped)\", \"since\": \(now.rawValue)}" : "opens halted (\(reason)); exits continue")
    }
}

/// `quantum resume`: releases the kill switch, and with `--symbol` the reconciliation halts of those symbols.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Allow opens again (release the kill switch and symbol halts).")

    @OptionGroup var state: StateOptions
    @Option(name: .customLong("symbol"), help: "Also release the drift halt of this symbol (repeatable).") var symbols: [String] = []
    @Flag(help: "JSON output.") var json = false

    func validate() throws {
        for s in symbols where Symbol(rawValue: s.uppercased()) == nil { throw ValidationError("--symbol: '\(s)' is not a symbol") }
    }

    func run() async throws {
        let (_, store) = try state.open(create: false)
        let kill = KillSwitch(store: store)
        try await kill.resume(symbols: symbols.compactMap { Symbol(rawValue: $0.uppercased()) })
        let left = try await kill.state().haltedSymbols
        if json {
            print("{\"halted\": false, \"symbols_still_halted\": [\(left.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", "))]}")
        } else {
            print("opens allowed" + (left.isEmpty ? "" : "; still halted by drift: " + left.map { "\($0.key) (\($0.value))" }.sorted().joined(separator: ", ")))
        }
    }
}

/// `quantum close SYMBOL [--pct N]`: an exit intent for the open position (the bridge and executor carry it out).
struct CloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "Close (or reduce by a percentage) an open position, reduce-only.")

    @OptionGroup var state: StateOptions
    @Argument(help: "The symbol, e.g. BTCUSDT.") var symbol: String
    @Option(help: "Percentage of the position to close (1–100).") var pct: Int = 100
    @Flag(help: "JSON output.") var json = false

    func validate() throws {
        guard Symbol(rawValue: symbol.uppercased()) != nil else { throw ValidationError("'\(symbol)' is not a symbol") }
        guard (1...100).contains(pct) else { throw ValidationError("--pct must be 1…100, got \(pct)") }
    }

    func run() async throws {
        let (log, store) = try state.open(create: false)
        let symbol = Symbol(rawValue: self.symbol.uppercased())!
        let fields = try await store.fields(StateKey.position(symbol))
        guard !fields.isEmpty else { throw ValidationError("no open position in \(symbol) (see `quantum positions`)") }
        let record = try PositionRecord.decode(fields)
        let now = SystemEpochClock().now()
        let id = "cli-\(now.rawValue)-\(UInt32.random(in: 0...UInt32.max))"
        let intent: ExitIntent
        if pct == 100 {
            intent = ExitIntent(intentID: id, symbol: symbol, action: .close, epoch: record.epoch, reason: .manual, source: .manual, createdAt: now)
        } else {
            let quantity = try record.quantity.scaled(by: Int64(pct), over: 100)
            guard quantity.isPositive else { throw ValidationError("\(pct) % of \(record.quantity) is nothing") }
            intent = ExitIntent(intentID: id, symbol: symbol, action: .reduce, epoch: record.epoch, reason: .manual, source: .manual,
                                quantity: quantity, createdAt: now)
        }
        let bus = MessageBus(log: log)
        // A close sent before the system's first start waits for the bridge instead of being skipped by it.
        try await bus.prepareConsumers(of: StreamName.exitIntent)
        try await bus.publish(intent, to: StreamName.exitIntent)
        print(json ? "{\"intent_id\": \"\(id)\", \"symbol\": \"\(symbol)\", \"epoch\": \(record.epoch.rawValue), \"pct\": \(pct)}"
                   : "exit intent \(id) for \(pct) % of \(record.side.rawValue) \(record.quantity) \(symbol) (epoch \(record.epoch)) sent; see `quantum results`")
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
