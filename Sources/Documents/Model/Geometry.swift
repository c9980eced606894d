/// An axis-aligned box in page coordinates: PDF points (1/72 inch), origin at the page's top-left, y growing down.
///
/// Encoded in JSON as `[x0, y0, x1, y1]` rounded to 0.01 pt.
public struct Box: Hashable, Sendable {
    public var x0: Double
    public var y0: Double
    public var x1: Double
    public var y1: Double

    public init(x0: Double, y0: Double, x1: Double, y1: Double) {
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
    }

    public static let empty = Box(x0: .infinity, y0: .infinity, x1: -.infinity, y1: -.infinity)

    public var width: Double { x1 - x0 }
    public var height: Double { y1 - y0 }
    public var midX: Double { (x0 + x1) / 2 }
    public var midY: Double { (y0 + y1) / 2 }
    public var isEmpty: Bool { x1 < x0 || y1 < y0 }

    public func union(_ other: Box) -> Box {
        Box(x0: min(x0, other.x0), y0: min(y0, other.y0), x1: max(x1, other.x1), y1: max(y1, other.y1))
    }

    /// Length of the overlap of the two boxes' x ranges (0 when apart).
    public func horizontalOverlap(_ other: Box) -> Double { max(0, min(x1, other.x1) - max(x0, other.x0)) }
    /// Length of the overlap of the two boxes' y ranges (0 when apart).
    public func verticalOverlap(_ other: Box) -> Double { max(0, min(y1, other.y1) - max(y0, other.y0)) }

    public func contains(x: Double, y: Double) -> Bool { x >= x0 && x <= x1 && y >= y0 && y <= y1 }
}

extension Box: Codable {
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(x0: try c.decode(Double.self), y0: try c.decode(Double.self),
                  x1: try c.decode(Double.self), y1: try c.decode(Double.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        for value in [x0, y0, x1, y1] { try c.encode((value * 100).rounded() / 100) }
    }
}

extension Sequence where Element == Box {
    /// The smallest box holding every element (``Box/empty`` for none).
    public func union() -> Box { reduce(Box.empty) { $0.union($1) } }
}
