import Crypto
public import Foundation

/// Lower-case hex of bytes: how every hash and key of the image-model files is written (manifests, caches, pins).
public func hexString(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

/// The SHA-256 of `data` as lower-case hex.
public func sha256Hex(_ data: Data) -> String { hexString(SHA256.hash(data: data)) }
