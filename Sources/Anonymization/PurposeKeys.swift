public import Crypto

/// One purpose's subkeys under every key of a ring: the current one seals, any of them opens what it sealed.
public struct PurposeKeys: Sendable {
    /// The id of the key that seals new data.
    public let currentID: String
    private let keys: [(id: String, key: SymmetricKey)]

    init(current: String, keys: [(String, SymmetricKey)]) {
        currentID = current
        self.keys = keys.map { (id: $0.0, key: $0.1) }
    }

    /// One key under an id of the caller's (tests, or callers with a bare subkey).
    public init(_ key: SymmetricKey, id: String) {
        currentID = id
        keys = [(id, key)]
    }

    public var current: SymmetricKey { key(id: currentID)! }

    /// The subkey of the key `id`, or nil when the ring does not hold it.
    public func key(id: String) -> SymmetricKey? { keys.first { $0.id == id }?.key }

    /// Every subkey, current first: for data sealed before ciphertexts named their key.
    public var all: [SymmetricKey] {
        keys.filter { $0.id == currentID }.map(\.key) + keys.filter { $0.id != currentID }.map(\.key)
    }
}
