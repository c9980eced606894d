import Crypto
import Foundation

/// A deterministic stream of random choices seeded by a keyed hash: the same key and seed always
/// give the same choices, and without the key they cannot be predicted.
struct KeyedDraw {
    private let key: SymmetricKey
    private let seed: Data
    private var counter: UInt32 = 0
    private var buffer: [UInt8] = []

    init(key: SymmetricKey, seed: String) {
        self.key = key
        self.seed = Data(seed.utf8)
    }

    private mutating func refill() {
        var block = seed
        withUnsafeBytes(of: counter.bigEndian) { block.append(contentsOf: $0) }
        buffer = Array(HMAC<SHA256>.authenticationCode(for: block, using: key))
        counter += 1
    }

    /// A uniform integer in 0..<bound.
    mutating func next(_ bound: Int) -> Int {
        precondition(bound > 0)
        if buffer.count < 8 { refill() }
        var value: UInt64 = 0
        for _ in 0..<8 { value = value << 8 | UInt64(buffer.removeLast()) }
        return Int(value % UInt64(bound))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }

    mutating func digit() -> Character { Character(String(next(10))) }
}
