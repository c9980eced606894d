/// A sensitive value that prints as `<redacted>` in logs, errors and string interpolation.
///
/// - Important: Wrap every value that may hold PHI before it goes near a `Logger` or an error.
public struct Redacted<Value: Sendable>: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The wrapped value; reading it is an explicit, greppable act.
    public let unsafeValue: Value

    public init(_ value: Value) { unsafeValue = value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}

extension Redacted: Equatable where Value: Equatable {}
extension Redacted: Hashable where Value: Hashable {}
