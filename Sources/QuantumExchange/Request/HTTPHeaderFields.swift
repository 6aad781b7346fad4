/// The header fields of a request, in arrival order, looked up case-insensitively (HTTP field names
/// are case-insensitive; clients send `X-MBX-APIKEY`, `x-mbx-apikey`, …).
public struct HTTPHeaderFields: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    /// One header line.
    public struct Field: Hashable, Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Every field, in arrival order.
    public private(set) var fields: [Field]

    public init(_ fields: [Field] = []) { self.fields = fields }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first value of the field called `name` (any case), or `nil`.
    public subscript(name: String) -> String? {
        let wanted = Self.folded(name)
        return fields.first { Self.folded($0.name) == wanted }?.value
    }

    /// Every value of the field called `name` (any case), in arrival order.
    public func values(for name: String) -> [String] {
        let wanted = Self.folded(name)
        return fields.filter { Self.folded($0.name) == wanted }.map(\.value)
    }

    /// Appends a field, keeping any existing ones of the same name.
    public mutating func append(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// ASCII lower case: header names are tokens, so ASCII folding is exact.
    private static func folded(_ name: String) -> String {
        String(decoding: name.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
