import Crypto
public import Foundation
public import Inference

/// The caching client of the patent's design: models come from the hospital's MedLocal server as signed bundles,
/// are kept in a local cache (checked again on every use, least recently used evicted over a size cap), run here,
/// and only the result — model, version, label, probability — goes back, for the knowledge base's advice. The
/// image never leaves this machine. Without the server, cached models still classify; the advice is unavailable.
public struct ModelClient: Sendable {
    public struct Result: Sendable, Codable {
        public var file: String
        public var model: String
        public var version: Int
        public var prediction: ImageClassifier.Prediction
        /// Nil when the server could not be reached.
        public var advice: DiagnosisAdvice?
        public var offline: Bool
        /// Why the server has deprecated this version, when it has (and could be asked).
        public var deprecated: String?
    }

    public let server: String
    public let apiKey: String?
    public let cache: URL
    public let cacheLimitBytes: Int
    public let models: ImageModels
    let http = LoopbackHTTPClient()
    let timeout = Duration.seconds(30)

    public init(server: String, apiKey: String?, cache: URL, cacheLimitBytes: Int = 512 << 20, models: ImageModels = .current) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.apiKey = apiKey
        self.cache = cache
        self.cacheLimitBytes = cacheLimitBytes
        self.models = models
    }

    var authorization: [String: String] { apiKey.map { ["Authorization": "Bearer \($0)"] } ?? [:] }

    func get(_ path: String) throws -> LoopbackHTTPClient.Response {
        let response = try http.send("GET", server + path, headers: authorization, timeout: timeout)
        guard response.status == 200 else {
            throw InputError(.unreadable, "\(server)\(path): the server answered \(response.status) \(Self.problem(response.body))")
        }
        return response
    }

    static func problem(_ body: Data) -> String {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["detail"] as? String ?? ""
    }

    /// The server's model list, as JSON.
    public func list() throws -> Data { try get("/api/v1/models").body }

    /// The server's bundle-signing key, pinned in the cache on first contact; a different key later is refused.
    func trustedKey() throws -> Curve25519.Signing.PublicKey {
        let pin = cache.appendingPathComponent("server-key")
        if let hex = try? String(contentsOf: pin, encoding: .utf8), let key = Self.publicKey(hex: hex) { return key }
        let answer = (try? JSONSerialization.jsonObject(with: get("/api/v1/models/signing-key").body)) as? [String: Any]
        guard let hex = answer?["public_key"] as? String, let key = Self.publicKey(hex: hex) else {
            throw InputError(.unreadable, "\(server): no model-signing key in its answer")
        }
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try AtomicFile.write(Data(hex.utf8), to: pin.path)
        return key
    }

    static func publicKey(hex: String) -> Curve25519.Signing.PublicKey? {
        let text = hex.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count == 64 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)
    }

    /// The version `reference` means on the server ("name": its newest version not deprecated, "name@3",
    /// "name@production"), and why that version is deprecated, when it is.
    func resolve(_ reference: String) throws -> (name: String, version: Int, deprecated: String?) {
        let parts = reference.split(separator: "@", maxSplits: 1).map(String.init)
        try ModelStore.validate(name: parts.first ?? "")
        let listing = (try JSONSerialization.jsonObject(with: list())) as? [String: Any]
        let model = (listing?["models"] as? [[String: Any]])?.first { $0["name"] as? String == parts[0] }
        guard let model else { throw InputError(.unreadable, "\(server) has no model named \(parts[0])") }
        var deprecated: [Int: String] = [:]
        var versions: [Int] = []
        for entry in model["versions"] as? [[String: Any]] ?? [] {
            guard let version = entry["version"] as? Int else { continue }
            versions.append(version)
            if let reason = entry["deprecated"] as? String { deprecated[version] = reason }
        }
        if parts.count == 2, let number = Int(parts[1]) { return (parts[0], number, deprecated[number]) }
        if parts.count == 2 {
            guard let version = (model["aliases"] as? [String: Int])?[parts[1]] else {
                throw InputError(.unreadable, "\(parts[0]) has no alias \(parts[1]) on \(server)")
            }
            return (parts[0], version, deprecated[version])
        }
        guard let latest = versions.filter({ deprecated[$0] == nil }).max() else {
            throw InputError(.unreadable, "\(parts[0]) has no versions on \(server) that are not deprecated; name one (\(parts[0])@N)")
        }
        return (parts[0], latest, nil)
    }

    func bundlePath(_ name: String, _ version: Int) -> URL { cache.appendingPathComponent("\(name)@\(version).bundle") }

    /// The bundle from the cache when it is there and still verifies, else downloaded, verified and cached.
    func bundle(_ name: String, _ version: Int, key: Curve25519.Signing.PublicKey) throws -> (ModelBundle.Contents, fromCache: Bool) {
        let path = bundlePath(name, version)
        if FileManager.default.fileExists(atPath: path.path) {
            if let contents = try? ModelBundle.read(path.path, trustedKey: key) {
                try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path.path)   // most recently used
                return (contents, true)
            }
            try? FileManager.default.removeItem(at: path)   // damaged or altered in the cache: fetched again
        }
        let data = try get("/api/v1/models/\(name)/\(version)/bundle").body
        let staging = cache.appendingPathComponent(".download-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try data.write(to: staging)
        defer { try? FileManager.default.removeItem(at: staging) }
        let contents: ModelBundle.Contents
        do { contents = try ModelBundle.read(staging.path, trustedKey: key) } catch {
            throw InputError(.unreadable, "\(server): the bundle of \(name)@\(version) was refused: \(error)")
        }
        try FileManager.default.moveItem(at: staging, to: path)
        evict(keeping: path)
        return (contents, false)
    }

    /// Removes the least recently used bundles until the cache fits its cap (never the one just used).
    public func evict(keeping kept: URL? = nil) {
        let files = ((try? FileManager.default.contentsOfDirectory(at: cache, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey])) ?? [])
            .filter { $0.pathExtension == "bundle" }
        var entries = files.map { url -> (url: URL, used: Date, size: Int) in
            let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey])
            return (url, values?.contentModificationDate ?? .distantPast, values?.fileSize ?? 0)
        }.sorted { $0.used < $1.used }
        var total = entries.reduce(0) { $0 + $1.size }
        while total > cacheLimitBytes, let oldest = entries.first(where: { $0.url.path != kept?.path }) {
            try? FileManager.default.removeItem(at: oldest.url)
            total -= oldest.size
            entries.removeAll { $0.url == oldest.url }
        }
    }

    /// The newest cached bundle of `reference` that verifies against the pinned key, for working offline.
    func cachedBundle(_ reference: String) -> (ModelBundle.Contents)? {
        let parts = reference.split(separator: "@", maxSplits: 1).map(String.init)
        guard let hex = try? String(contentsOf: cache.appendingPathComponent("server-key"), encoding: .utf8),
              let key = Self.publicKey(hex: hex) else { return nil }
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []).compactMap { file -> Int? in
            guard file.hasPrefix("\(parts[0])@"), file.hasSuffix(".bundle") else { return nil }
            return Int(file.dropFirst(parts[0].count + 1).dropLast(".bundle".count))
        }.filter { parts.count == 1 || Int(parts[1]) == nil || Int(parts[1]) == $0 }.sorted(by: >)
        for version in versions {
            if let contents = try? ModelBundle.read(bundlePath(parts[0], version).path, trustedKey: key) { return contents }
        }
        return nil
    }

    /// Classifies `files` locally and asks the server for the advice on each label (only the result is sent).
    public func classify(_ files: [String], model reference: String) throws -> [Result] {
        let decoder = try models.requireDecoder()
        var offline = false
        var deprecated: String?
        let contents: ModelBundle.Contents
        do {
            let key = try trustedKey()
            let resolved = try resolve(reference)
            deprecated = resolved.deprecated
            contents = try bundle(resolved.name, resolved.version, key: key).0
        } catch let error as InputError where Self.isUnreachable(error) {
            guard let cached = cachedBundle(reference) else {
                throw InputError(.unreadable, "\(server) cannot be reached and no cached bundle of \(reference) verifies")
            }
            contents = cached
            offline = true
        }
        guard let loadRuntime = models.loadRuntime else { throw InputError(.unreadable, "this build has no model runtime wired in") }
        let classifier = try ImageClassifier.assemble(contents.manifest, head: contents.head, network: loadRuntime().load(contents.backbone, threads: 0))
        return try files.map { file in
            guard let data = FileManager.default.contents(atPath: file) else { throw InputError(.unreadable, "\(file): cannot be read") }
            let image: RGBImage
            do { image = try decoder.decodeColor([UInt8](data)) } catch { throw InputError(.unreadable, "\(file): \(error)") }
            let prediction = try classifier.classify(image)
            var advice: DiagnosisAdvice?
            if !offline {
                let result: [String: Any] = ["model": contents.manifest.name, "version": contents.manifest.version,
                                             "label": prediction.label, "probability": prediction.probability]
                let answer = try? http.send("POST", server + "/api/v1/diagnosis/lookup", headers: authorization.merging(["Content-Type": "application/json"]) { a, _ in a },
                                            body: JSONSerialization.data(withJSONObject: result), timeout: timeout)
                if let answer, answer.status == 200 { advice = try? JSONDecoder().decode(DiagnosisAdvice.self, from: answer.body) } else { offline = true }
            }
            return Result(file: file, model: contents.manifest.name, version: contents.manifest.version, prediction: prediction,
                          advice: advice, offline: advice == nil, deprecated: deprecated)
        }
    }

    static func isUnreachable(_ error: InputError) -> Bool {
        error.description.contains("refused the connection") || error.description.contains("cannot be resolved")
            || error.description.contains("closed while sending")
    }
}
