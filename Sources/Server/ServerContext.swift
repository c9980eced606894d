import HTTPTypes
public import Hummingbird
public import Service
import Logging
import NIOCore

/// The per-request state routes see: Hummingbird's core storage, the request id every response carries, and
/// the API user the key or client certificate belongs to (set by ``APIKeyAuthentication`` on `/api` routes).
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String
    public var user: APIUser?
    /// The connection, for the client certificate of an mTLS handshake.
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        // Hummingbird's id for the request, which its logger already carries as `hb.request.id`.
        requestID = source.logger[metadataKey: "hb.request.id"]?.description ?? RequestID().description
        user = nil
        channel = source.channel
    }

    /// JSON bodies (PHI text) are bounded; document uploads stream to disk and have their own limit.
    public var maxUploadSize: Int { 8 << 20 }

    /// The authenticated user, or a 401 (routes under `/api` always run after authentication).
    func requireUser() throws -> APIUser {
        guard let user else { throw Problem.unauthorized("an API key is required") }
        return user
    }

    /// The user when their role may do `what`, else a 403 naming the role needed.
    func requireRole(_ allowed: (Role) -> Bool, _ what: String) throws -> APIUser {
        let user = try requireUser()
        guard allowed(user.role) else { throw Problem(.forbidden, "forbidden", "the \(user.role.rawValue) role may not \(what)") }
        return user
    }
}

/// Adds `X-Request-Id` to every response, errors included, so a user's report can be matched to the server's log
/// line (which holds the id, the route and the status, never a body).
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    static let header = HTTPField.Name("X-Request-Id")!

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[Self.header] = context.requestID
        return response
    }
}
