/// An HTML or SVG element tree, written out with every text and attribute escaped.
///
/// The report's pieces (charts, tables) are built as values of this type and placed into the page template, so no
/// markup is assembled by pasting strings and no data can break out of its element.
public struct Markup: Sendable {
    enum Node: Sendable {
        case element(name: String, attributes: [(String, String)], children: [Markup])
        case text(String)
    }

    let node: Node

    /// An element with attributes (in the order given) and children.
    public static func element(_ name: String, _ attributes: [(String, String)] = [], _ children: [Markup] = []) -> Markup {
        Markup(node: .element(name: name, attributes: attributes, children: children))
    }

    /// An element holding only text.
    public static func element(_ name: String, _ attributes: [(String, String)] = [], text: String) -> Markup {
        element(name, attributes, [.text(text)])
    }

    /// Escaped text.
    public static func text(_ value: String) -> Markup { Markup(node: .text(value)) }

    /// The markup as text.
    public var rendered: String {
        var output = ""
        render(into: &output)
        return output
    }

    /// Appends the markup to `output`.
    public func render(into output: inout String) {
        switch node {
        case .text(let value):
            Self.escape(value, into: &output)
        case .element(let name, let attributes, let children):
            output += "<" + name
            for (key, value) in attributes {
                output += " " + key + "=\""
                Self.escape(value, into: &output)
                output += "\""
            }
            if children.isEmpty, Self.voidElements.contains(name) {
                output += ">"
                return
            }
            output += ">"
            for child in children { child.render(into: &output) }
            output += "</" + name + ">"
        }
    }

    /// HTML elements without a closing tag.
    static let voidElements: Set<String> = ["br", "hr", "img", "meta", "input", "link"]

    static func escape(_ value: String, into output: inout String) {
        for character in value.unicodeScalars {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(character)
            }
        }
    }
}
