import Foundation
import Service
import Testing
import TestSupport

/// `medlocal client classify` against a running server through a proxy that records every byte the client sends.
@Suite("Model client", .serialized)
struct ModelClientTests {
    static let wbc = Fixtures.shared.appendingPathComponent("corpora/images-dev/bccd-cells/WBC")

    @Test func theClientCachesVerifiesAndClassifiesLocallyAndSendsOnlyTheResult() async throws {
        let server = try await TestServer.start { _, data, _ in try ModelRoutesTests.trainCells(into: data) }
        let proxy = try RecordingProxy(forwardingTo: try #require(server.base.port))
        defer { proxy.close() }
        do {
            let cache = server.folder.appendingPathComponent("client-cache")
            let image = Self.wbc.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: Self.wbc.path).sorted()[40])
            let key = try #require(server.keys[.operator])
            func client(_ extra: [String] = [], port: Int? = nil) -> ExternalCommand {
                ExternalCommand.run(Fixtures.medlocalBinary, ["client", "classify", image.path, "--model", "cells", "--server",
                                                             "http://127.0.0.1:\(port ?? proxy.port)", "--api-key", key, "--cache", cache.path] + extra)
            }
            let first = client()
            #expect(first.status == 0, "\(first.errors)")
            #expect(first.output.contains(": WBC (p = ") && first.output.contains("cells@1"))
            #expect(first.output.contains("no knowledge base entry") && first.output.contains("not a diagnosis"))
            #expect(FileManager.default.fileExists(atPath: cache.appendingPathComponent("cells@1.bundle").path))

            // What crossed the wire: requests and a result, never the image.
            let sent = proxy.sent
            let imageBytes = try Data(contentsOf: image)
            for offset in stride(from: 0, to: imageBytes.count - 64, by: max(64, imageBytes.count / 8)) {
                #expect(sent.range(of: imageBytes.subdata(in: offset..<offset + 64)) == nil, "image bytes at \(offset) were sent")
            }
            let text = String(decoding: sent, as: UTF8.self)
            #expect(text.contains("GET /api/v1/models/cells/1/bundle") && text.contains("POST /api/v1/diagnosis/lookup"))
            #expect(text.contains("\"label\":\"WBC\""))
            #expect(sent.count < 8192, "the client sent \(sent.count) bytes")

            // The second run uses the cache: no download.
            let before = String(decoding: proxy.sent, as: UTF8.self).components(separatedBy: "/bundle").count
            #expect(client().status == 0)
            #expect(String(decoding: proxy.sent, as: UTF8.self).components(separatedBy: "/bundle").count == before)

            // A cached bundle altered on disk is refused and fetched again.
            let cached = cache.appendingPathComponent("cells@1.bundle")
            var bytes = try Data(contentsOf: cached)
            bytes[bytes.count / 2] ^= 0xFF
            try bytes.write(to: cached)
            #expect(client().status == 0)
            #expect(String(decoding: proxy.sent, as: UTF8.self).components(separatedBy: "/bundle").count == before + 1)

            // Over the size cap, the least recently used bundle goes.
            let stale = cache.appendingPathComponent("old@1.bundle")
            try Data(repeating: 1, count: 4 << 20).write(to: stale)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -86_400)], ofItemAtPath: stale.path)
            try FileManager.default.removeItem(at: cached)
            #expect(client(["--cache-limit-mb", "20"]).status == 0)
            #expect(!FileManager.default.fileExists(atPath: stale.path) && FileManager.default.fileExists(atPath: cached.path))

            // Without the server, the cached model still classifies; the advice is unavailable.
            proxy.close()
            let offline = client()
            #expect(offline.status == 0, "\(offline.errors)")
            #expect(offline.output.contains(": WBC (p = ") && offline.output.contains("advice unavailable"))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
