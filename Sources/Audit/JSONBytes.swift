/// A JSON text written byte by byte — for the few documents written per request on hot paths (audit bodies, the
/// server's scan responses), where Foundation's `JSONEncoder` costs more than the work itself on Linux. Callers
/// write members in the order they want them (sorted, for canonical output); absent optionals are left out.
public struct JSONBytes: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether the innermost open object or array has a member yet, one flag per nesting level.
    private var hasMember: [Bool] = []

    public init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); hasMember.append(false) }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); hasMember.removeLast() }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); hasMember.append(false) }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); hasMember.removeLast() }

    /// A member's key; its value follows.
    public mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        pendingValue = true
    }

    public mutating func string(_ value: String) { separate(); appendString(value) }
    public mutating func number(_ value: Int) { separate(); bytes += String(value).utf8 }
    public mutating func number(_ value: Int64) { separate(); bytes += String(value).utf8 }
    public mutating func bool(_ value: Bool) { separate(); bytes += (value ? "true" : "false").utf8 }
    public mutating func null() { separate(); bytes += "null".utf8 }

    /// Doubles as JSONEncoder writes them: integral values without a fraction, others in Swift's shortest form.
    public mutating func number(_ value: Double) {
        separate()
        guard value.isFinite else { bytes.append(UInt8(ascii: "0")); return }
        bytes += (value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)").utf8
    }

    /// `"name": value` when `value` is present.
    public mutating func member(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    public mutating func member(_ name: String, _ value: Int) { key(name); number(value) }
    public mutating func member(_ name: String, _ value: Double) { key(name); number(value) }

    // A value right after its key needs no comma.
    private var pendingValue = false

    private mutating func separate() {
        if pendingValue { pendingValue = false; return }
        guard let last = hasMember.last else { return }
        if last { bytes.append(UInt8(ascii: ",")) }
        hasMember[hasMember.count - 1] = true
    }

    /// Quoted, with `"`, `\` and control characters escaped; everything else (`/` and non-ASCII included) as is.
    private mutating func appendString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes += value.utf8
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
