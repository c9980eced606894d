/// Parses well-formed XML into an ``XMLElement`` tree. Rejects document type declarations (no entity expansion,
/// so no "billion laughs"), unbalanced tags and nesting deeper than ``maximumDepth``.
struct XMLReader {
    static let maximumDepth = 256

    struct Failure: Error {
        var offset: Int
        var reason: String
    }

    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    static func parse(_ bytes: [UInt8]) throws(Failure) -> XMLElement {
        var reader = XMLReader(bytes)
        return try reader.document()
    }

    private mutating func document() throws(Failure) -> XMLElement {
        var stack: [XMLElement] = []
        var root: XMLElement?
        var text: [UInt8] = []
        func flushText(into stack: inout [XMLElement]) {
            guard !text.isEmpty, !stack.isEmpty else { text.removeAll(); return }
            stack[stack.count - 1].children.append(.text(String(decoding: text, as: UTF8.self)))
            text.removeAll(keepingCapacity: true)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "&") {
                try appendEntity(to: &text)
                continue
            }
            guard byte == UInt8(ascii: "<") else {
                text.append(byte)
                position += 1
                continue
            }
            flushText(into: &stack)
            if matches("<?") { try skip(past: "?>"); continue }
            if matches("<!--") { try skip(past: "-->"); continue }
            if matches("<![CDATA[") {
                position += 9
                let start = position
                try skip(past: "]]>")
                text += bytes[start..<(position - 3)]
                flushText(into: &stack)
                continue
            }
            if matches("<!") { throw Failure(offset: position, reason: "document type declarations are not accepted") }
            if matches("</") {
                position += 2
                let name = readName()
                skipSpaces()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ">") else { throw Failure(offset: position, reason: "unterminated end tag") }
                position += 1
                guard let open = stack.popLast(), open.name == name else {
                    throw Failure(offset: position, reason: "end tag does not match its start tag")
                }
                if stack.isEmpty { root = open } else { stack[stack.count - 1].children.append(.element(open)) }
                continue
            }
            position += 1
            let (element, selfClosing) = try startTag()
            if root != nil { throw Failure(offset: position, reason: "content after the root element") }
            if selfClosing {
                if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(.element(element)) }
            } else {
                guard stack.count < Self.maximumDepth else { throw Failure(offset: position, reason: "elements nested too deeply") }
                stack.append(element)
            }
        }
        guard stack.isEmpty, let root else { throw Failure(offset: position, reason: "the document ends inside an element") }
        return root
    }

    private mutating func startTag() throws(Failure) -> (XMLElement, Bool) {
        let name = readName()
        guard !name.isEmpty else { throw Failure(offset: position, reason: "a tag without a name") }
        var attributes: [String: String] = [:]
        while true {
            skipSpaces()
            guard position < bytes.count else { throw Failure(offset: position, reason: "unterminated start tag") }
            if bytes[position] == UInt8(ascii: "/") {
                guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ">") else { throw Failure(offset: position, reason: "bad self-closing tag") }
                position += 2
                return (XMLElement(name: name, attributes: attributes, children: []), true)
            }
            if bytes[position] == UInt8(ascii: ">") {
                position += 1
                return (XMLElement(name: name, attributes: attributes, children: []), false)
            }
            let key = readName()
            skipSpaces()
            guard !key.isEmpty, position < bytes.count, bytes[position] == UInt8(ascii: "=") else {
                throw Failure(offset: position, reason: "bad attribute")
            }
            position += 1
            skipSpaces()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
                throw Failure(offset: position, reason: "unquoted attribute value")
            }
            let quote = bytes[position]
            position += 1
            var value: [UInt8] = []
            while position < bytes.count, bytes[position] != quote {
                if bytes[position] == UInt8(ascii: "&") { try appendEntity(to: &value) } else {
                    value.append(bytes[position])
                    position += 1
                }
            }
            guard position < bytes.count else { throw Failure(offset: position, reason: "unterminated attribute value") }
            position += 1
            attributes[key] = String(decoding: value, as: UTF8.self)
        }
    }

    private mutating func appendEntity(to output: inout [UInt8]) throws(Failure) {
        let start = position
        guard let end = bytes[position...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
            throw Failure(offset: start, reason: "unterminated character reference")
        }
        let name = String(decoding: bytes[(position + 1)..<end], as: UTF8.self)
        position = end + 1
        let scalar: Unicode.Scalar?
        switch name {
        case "lt": scalar = "<"
        case "gt": scalar = ">"
        case "amp": scalar = "&"
        case "quot": scalar = "\""
        case "apos": scalar = "'"
        default:
            if name.hasPrefix("#x") { scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) }
            else if name.hasPrefix("#") { scalar = UInt32(name.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init) }
            else { scalar = nil }
        }
        guard let scalar else { throw Failure(offset: start, reason: "unknown entity") }
        output += Array(String(scalar).utf8)
    }

    private func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { buffer in
            buffer.indices.allSatisfy { bytes[position + $0] == buffer[$0] }
        }
    }

    private mutating func skip(past literal: StaticString) throws(Failure) {
        while position < bytes.count {
            if matches(literal) {
                position += literal.utf8CodeUnitCount
                return
            }
            position += 1
        }
        throw Failure(offset: position, reason: "unterminated markup")
    }

    private mutating func readName() -> String {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
                || byte == 0x09 || byte == 0x0A || byte == 0x0D { break }
            position += 1
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func skipSpaces() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }
}
