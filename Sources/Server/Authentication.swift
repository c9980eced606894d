import Foundation
import HTTPTypes
import Hummingbird
import NIOSSL
import Service
import Synchronization

/// Authentication for everything under `/api`: an API key in `Authorization: Bearer <key>` (as Dify and most HTTP
/// clients send it) or `X-API-Key: <key>`, or — when the server takes client certificates — the certificate of
/// the mTLS handshake, which NIOSSL has already verified against the client CA. A presented key wins over a
/// certificate. A missing, malformed, unknown or revoked credential is a 401 that does not say which. Lookups
/// are cached for a few seconds, so a revoked user stops working within ``cacheLifetime``.
struct APIKeyAuthentication: RouterMiddleware {
    typealias Context = ServerContext
    static let apiKeyHeader = HTTPField.Name("X-API-Key")!
    static let cacheLifetime: TimeInterval = 5

    let users: any UserStore
    let acceptsClientCertificates: Bool
    private let cache = KeyCache()

    init(users: any UserStore, acceptsClientCertificates: Bool = false) {
        self.users = users
        self.acceptsClientCertificates = acceptsClientCertificates
    }

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let user: APIUser
        if let key = Self.presentedKey(request.headers) {
            guard let known = try authenticate(key: key) else { throw Problem.unauthorized("the API key is not valid") }
            user = known
        } else if acceptsClientCertificates, let certificate = try await context.channel.nioSSL_peerCertificate().get() {
            guard let known = try lookUp(digest: try ClientCertificate.fingerprint(certificate)) else {
                throw Problem.unauthorized("the client certificate is not registered to a user")
            }
            user = known
        } else {
            throw Problem.unauthorized(acceptsClientCertificates ? "an API key or a client certificate is required"
                                                                 : "an API key is required (Authorization: Bearer …)")
        }
        var context = context
        context.user = user
        return try await next(request, context)
    }

    static func presentedKey(_ headers: HTTPFields) -> String? {
        if let authorization = headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return headers[apiKeyHeader]?.trimmingCharacters(in: .whitespaces)
    }

    private func authenticate(key: String) throws -> APIUser? {
        guard APIKey.looksValid(key) else { return nil }
        return try lookUp(digest: APIKey.digest(key))
    }

    private func lookUp(digest: String) throws -> APIUser? {
        let now = Date()
        if let cached = cache.user(digest, at: now) { return cached }
        let user = try users.user(keyDigest: digest)
        cache.set(digest, user, until: now.addingTimeInterval(Self.cacheLifetime))
        return user
    }
}

/// Users by key digest, each entry for a few seconds (unknown keys are not remembered).
private final class KeyCache: Sendable {
    private let entries = Mutex<[String: (user: APIUser, expires: Date)]>([:])

    func user(_ digest: String, at now: Date) -> APIUser? {
        entries.withLock { entries in
            guard let entry = entries[digest], entry.expires > now else { return nil }
            return entry.user
        }
    }

    func set(_ digest: String, _ user: APIUser?, until expiry: Date) {
        entries.withLock { entries in
            guard let user else { entries[digest] = nil; return }
            if entries.count > 10_000 { entries.removeAll() }
            entries[digest] = (user, expiry)
        }
    }
}
