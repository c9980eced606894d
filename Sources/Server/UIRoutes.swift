import Audit
import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The browser UI: static files bundled with the binary (no CDN, no external fonts), loaded into memory once and
/// served under `/` and `/ui/…` with an ETag, so a reload costs a 304. The page asks for an API key and talks to
/// `/api/v1` with it, like any other client; nothing here needs a key or carries PHI.
struct UIRoutes: Sendable {
    struct Asset: Sendable {
        var body: ByteBuffer
        var contentType: String
        var etag: String
    }

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    let assets: [String: Asset]

    init() {
        var assets: [String: Asset] = [:]
        if let folder = Bundle.module.url(forResource: "ui", withExtension: nil),
           let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) {
            for name in names {
                guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)) else { continue }
                let digest = hex(SHA256.hash(data: data).prefix(12))
                assets[name] = Asset(body: ByteBuffer(bytes: data), contentType: Self.mediaType(name), etag: "\"\(digest)\"")
            }
        }
        self.assets = assets
    }

    func add(to router: Router<ServerContext>) {
        router.get("/") { request, _ in serve("index.html", request) }
        router.get("ui/:asset") { request, context in serve(try context.parameters.require("asset"), request) }
    }

    private func serve(_ name: String, _ request: Request) -> Response {
        guard let asset = assets[name] else {
            return Reply.bytes(Array("not found".utf8), status: .notFound, contentType: "text/plain; charset=utf-8")
        }
        var headers = HTTPFields()
        headers[.eTag] = asset.etag
        headers[.cacheControl] = "no-cache"
        headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[Self.referrerPolicy] = "no-referrer"
        if request.headers[.ifNoneMatch] == asset.etag { return Response(status: .notModified, headers: headers) }
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
    }

    static func mediaType(_ name: String) -> String {
        switch (name as NSString).pathExtension {
        case "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        default: "application/octet-stream"
        }
    }
}
