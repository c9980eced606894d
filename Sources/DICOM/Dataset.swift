/// An ordered collection of data elements (ascending tags as read; the order is kept as found).
public struct Dataset: Sendable, Equatable {
    public private(set) var elements: [DataElement] = []

    public init(elements: [DataElement] = []) {
        self.elements = elements
    }

    public subscript(tag: Tag) -> DataElement? {
        get { elements.first { $0.tag == tag } }
        set {
            if let index = elements.firstIndex(where: { $0.tag == tag }) {
                if let newValue { elements[index] = newValue } else { elements.remove(at: index) }
            } else if let newValue {
                let position = elements.firstIndex { $0.tag > tag } ?? elements.endIndex
                elements.insert(newValue, at: position)
            }
        }
    }

    /// Adds an element after the others (the caller keeps tags ascending, as a reader or a filter does).
    public mutating func append(_ element: DataElement) { elements.append(element) }

    /// Removes the elements for which `predicate` is true, here and inside every sequence item.
    public mutating func removeAll(where predicate: (DataElement) -> Bool) {
        elements.removeAll(where: predicate)
        for index in elements.indices {
            guard case .sequence(var items) = elements[index].value else { continue }
            for item in items.indices { items[item].dataset.removeAll(where: predicate) }
            elements[index].value = .sequence(items)
        }
    }

    public var isEmpty: Bool { elements.isEmpty }
    public var count: Int { elements.count }
}
