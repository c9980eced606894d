import Foundation
import HTTPTypes
import Hummingbird

/// How routes answer with a body: a value encoded as JSON (sorted keys, unescaped slashes, ISO 8601 dates), or
/// bytes they wrote themselves, with their content type.
enum Reply {
    static let jsonType = "application/json; charset=utf-8"

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:],
                   contentType: String = jsonType) throws -> Response {
        bytes(try encoder.encode(value), status: status, headers: headers, contentType: contentType)
    }

    static func bytes(_ body: some Sequence<UInt8>, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:],
                      contentType: String = jsonType) -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
