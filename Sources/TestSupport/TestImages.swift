public import Foundation

/// Images written by hand for tests: BMP is one of the formats the classifier's decoder reads, and needs no encoder.
public enum TestImages {
    /// A 24-bit BMP of one colour, `side` × `side`.
    public static func bmp(_ rgb: (UInt8, UInt8, UInt8), side: Int = 20) -> Data {
        let row = side * 3, padded = (row + 3) / 4 * 4
        var data = Data("BM".utf8)
        func le32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { data.append(contentsOf: $0) } }
        func le16(_ v: Int) { withUnsafeBytes(of: UInt16(v).littleEndian) { data.append(contentsOf: $0) } }
        le32(54 + padded * side); le32(0); le32(54)                          // file header: size, reserved, pixel offset
        le32(40); le32(side); le32(side); le16(1); le16(24); le32(0)        // info header: size, width, height, planes, bits, no compression
        le32(padded * side); le32(2835); le32(2835); le32(0); le32(0)       // image size, 72 dpi, no palette
        for _ in 0..<side {
            for _ in 0..<side { data.append(contentsOf: [rgb.2, rgb.1, rgb.0]) }
            data.append(contentsOf: [UInt8](repeating: 0, count: padded - row))
        }
        return data
    }
}
