import Foundation
import HTTPTypes
import Hummingbird
import Service
import Synchronization

/// API-key authentication for everything under `/api`: `Authorization: Bearer <key>` (as Dify and most HTTP
/// clients send it) or `X-API-Key: <key>`. A missing, malformed, unknown or revoked key is a 401 that does not say
/// which. Lookups are cached for a few seconds, so a revoked key stops working within ``cacheLifetime``.
struct APIKeyAuthentication: RouterMiddleware {
    typealias Context = ServerContext
    static let apiKeyHeader = HTTPField.Name("X-API-Key")!
    static let cacheLifetime: TimeInterval = 5

    let users: any UserStore
    private let cache = KeyCache()

    init(users: any UserStore) {
        self.users = users
    }

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard let key = Self.presentedKey(request.headers) else { throw Problem.unauthorized("an API key is required (Authorization: Bearer …)") }
        guard let user = try authenticate(key) else { throw Problem.unauthorized("the API key is not valid") }
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

    private func authenticate(_ key: String) throws -> APIUser? {
        guard APIKey.looksValid(key) else { return nil }
        let digest = APIKey.digest(key)
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
