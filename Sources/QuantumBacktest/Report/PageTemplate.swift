import Foundation

/// A page template with `{{name}}` slots, filled with rendered markup.
///
/// The page's HTML and CSS live in a resource file, not in Swift; every slot must be filled and every value must
/// have a slot, so a renamed slot fails loudly instead of leaving `{{…}}` in a report.
public struct PageTemplate: Sendable {
    public let text: String

    public init(text: String) { self.text = text }

    /// The report page, compiled into the binary from `Resources/report.html` (an installed `quantum` needs no files beside it).
    public static var report: PageTemplate { PageTemplate(text: String(decoding: PackageResources.report_html, as: UTF8.self)) }

    /// The page with each `{{key}}` replaced by its value's markup (titles and plain values are escaped).
    public func filled(_ values: [String: Markup]) throws(BacktestError) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var used = Set<String>()
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw BacktestError(.output, "the template has an unclosed slot")
            }
            let key = String(rest[open.upperBound..<close.lowerBound])
            guard let value = values[key] else { throw BacktestError(.output, "the template's slot {{\(key)}} has no value") }
            value.render(into: &output)
            used.insert(key)
            rest = rest[close.upperBound...]
        }
        output += rest
        if let unused = values.keys.sorted().first(where: { !used.contains($0) }) {
            throw BacktestError(.output, "the template has no slot {{\(unused)}}")
        }
        return output
    }
}
