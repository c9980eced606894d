/// A minimal XML element tree: enough for Office Open XML parts (no DTDs, no external entities).
struct XMLElement: Sendable {
    var name: String
    var attributes: [String: String]
    var children: [XMLContent]

    /// Direct child elements named `name`.
    func elements(_ name: String) -> [XMLElement] {
        children.compactMap { if case .element(let e) = $0, e.name == name { e } else { nil } }
    }

    func element(_ name: String) -> XMLElement? {
        for child in children { if case .element(let e) = child, e.name == name { return e } }
        return nil
    }

    /// The first descendant element named `name`, depth first.
    func descendant(_ name: String) -> XMLElement? {
        for child in children {
            guard case .element(let e) = child else { continue }
            if e.name == name { return e }
            if let found = e.descendant(name) { return found }
        }
        return nil
    }

    var childElements: [XMLElement] {
        children.compactMap { if case .element(let e) = $0 { e } else { nil } }
    }

    subscript(attribute: String) -> String? { attributes[attribute] }
}

enum XMLContent: Sendable {
    case element(XMLElement)
    case text(String)
}
