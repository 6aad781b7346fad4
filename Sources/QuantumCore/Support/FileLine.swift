/// `file:line: detail`, or `file: detail` for line 0: how every error about a line of a file reads (TOML, configuration,
/// kline data), the form editors and terminals turn into a link.
public func fileLineMessage(_ file: String, _ line: Int, _ detail: String) -> String {
    line > 0 ? "\(file):\(line): \(detail)" : "\(file): \(detail)"
}
