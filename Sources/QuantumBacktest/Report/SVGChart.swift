import Foundation

/// A line or area chart of one series as an SVG element: the equity curve and the drawdown of the report.
public struct SVGChart: Sendable {
    /// How the series is drawn.
    public enum Style: Sendable {
        /// A line.
        case line
        /// A filled area down from the top (drawdowns, drawn as depth below zero).
        case areaFromTop
    }

    public var width = 960.0
    public var height = 260.0
    public var style = Style.line
    /// Text of the y-axis labels.
    public var format: @Sendable (Double) -> String = { String(format: "%.2f", $0) }
    /// Text of the x-axis labels (the first and last point's x).
    public var xLabel: @Sendable (Double) -> String = { String(format: "%.0f", $0) }
    /// CSS class of the series path (colours live in the page's stylesheet).
    public var seriesClass = "series"

    public init() {}

    /// The chart of `points` (x ascending); an empty series draws the frame only.
    public func render(_ points: [(x: Double, y: Double)], title: String) -> Markup {
        let left = 80.0, right = 16.0, top = 12.0, bottom = 28.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let xs = points.map(\.x), ys = points.map(\.y)
        let minX = xs.min() ?? 0, maxX = xs.max() ?? 1
        var minY = ys.min() ?? 0, maxY = ys.max() ?? 1
        if style == .areaFromTop { minY = min(minY, 0); maxY = max(maxY, 0) }
        if maxY - minY < 1e-12 { maxY = minY + 1 }
        let spanX = maxX - minX > 0 ? maxX - minX : 1
        func px(_ x: Double) -> Double { left + (x - minX) / spanX * plotWidth }
        func py(_ y: Double) -> Double { top + (maxY - y) / (maxY - minY) * plotHeight }
        var path = ""
        for (index, point) in points.enumerated() {
            path += (index == 0 ? "M" : "L") + Self.number(px(point.x)) + " " + Self.number(py(point.y))
        }
        if style == .areaFromTop, let first = points.first, let last = points.last {
            path += "L" + Self.number(px(last.x)) + " " + Self.number(py(0)) + "L" + Self.number(px(first.x)) + " " + Self.number(py(0)) + "Z"
        }
        var children: [Markup] = [.element("title", text: title)]
        for fraction in [0.0, 0.5, 1.0] {
            let value = minY + (maxY - minY) * fraction
            let y = py(value)
            children.append(.element("line", [("class", "grid"), ("x1", Self.number(left)), ("x2", Self.number(width - right)),
                                              ("y1", Self.number(y)), ("y2", Self.number(y))]))
            children.append(.element("text", [("class", "axis"), ("x", Self.number(left - 6)), ("y", Self.number(y + 4)),
                                              ("text-anchor", "end")], text: format(value)))
        }
        if let first = points.first, let last = points.last {
            children.append(.element("text", [("class", "axis"), ("x", Self.number(left)), ("y", Self.number(height - 8))], text: xLabel(first.x)))
            children.append(.element("text", [("class", "axis"), ("x", Self.number(width - right)), ("y", Self.number(height - 8)),
                                              ("text-anchor", "end")], text: xLabel(last.x)))
        }
        if !points.isEmpty {
            children.append(.element("path", [("class", seriesClass + (style == .areaFromTop ? " area" : "")), ("d", path)]))
        }
        return .element("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(Self.number(width)) \(Self.number(height))"),
                                ("role", "img"), ("aria-label", title), ("class", "chart")], children)
    }

    /// A coordinate with two decimals (enough for a screen, small files).
    static func number(_ value: Double) -> String { String(format: "%.2f", value) }
}
