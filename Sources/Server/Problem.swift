import Foundation
public import Hummingbird
import Logging

/// An error as RFC 9457 problem details (`application/problem+json`). `detail` is written for the caller and
/// never holds submitted content: a block says which types at which offsets, not what the text was.
public struct Problem: Error, HTTPResponseError, Sendable {
    /// A finding that made the policy block, by type and position.
    public struct Blocking: Encodable, Sendable, Equatable {
        public var type: String
        public var start: Int
        public var end: Int
    }

    public var status: HTTPResponse.Status
    /// Short machine-readable code; the problem `type` is `urn:medlocal:problem:<code>`.
    public var code: String
    public var detail: String
    public var policy: String?
    public var blocking: [Blocking]?
    /// A rejected policy's problems, each with its line and field.
    public var errors: [FieldProblem]?

    public struct FieldProblem: Encodable, Sendable, Equatable {
        public var line: Int?
        public var field: String
        public var message: String
    }

    public init(_ status: HTTPResponse.Status, _ code: String, _ detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
    }

    static func unauthorized(_ detail: String) -> Problem { Problem(.unauthorized, "unauthorized", detail) }
    static func badRequest(_ detail: String) -> Problem { Problem(.badRequest, "bad-request", detail) }
    static func notFound(_ detail: String) -> Problem { Problem(.notFound, "not-found", detail) }
    static func unprocessable(_ detail: String) -> Problem { Problem(.unprocessableContent, "unprocessable", detail) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response(requestID: (context as? ServerContext)?.requestID)
    }

    func response(requestID: String?) -> Response {
        struct Body: Encodable {
            var type: String, title: String, status: Int, detail: String
            var requestId: String?, policy: String?, blocking: [Blocking]?, errors: [FieldProblem]?
        }
        let body = Body(type: "urn:medlocal:problem:\(code)", title: status.reasonPhrase, status: status.code, detail: detail,
                        requestId: requestID, policy: policy, blocking: blocking, errors: errors)
        var headers = HTTPFields()
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"medlocal\"" }
        return (try? Reply.json(body, status: status, headers: headers, contentType: "application/problem+json"))
            ?? Reply.bytes([], status: status, contentType: "application/problem+json")
    }
}

/// Turns every error into problem details. Hummingbird's own (unknown route, body too large) keep their status;
/// anything else is a 500 whose log line names the error's type only — an error's text can quote a file name, and
/// a file name can be PHI.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch let problem as Problem {
            response = problem.response(requestID: context.requestID)
        } catch let error as any HTTPResponseError {
            let code = error.status == .notFound ? "not-found" : error.status == .contentTooLarge ? "too-large" : "http-\(error.status.code)"
            let detail = error.status == .notFound ? "no route \(request.method) \(request.uri.path)"
                : error.status == .contentTooLarge ? "the request body is larger than this route accepts" : error.status.reasonPhrase
            response = Problem(error.status, code, detail).response(requestID: context.requestID)
        } catch {
            context.logger.error("request failed", metadata: ["error.type": "\(type(of: error))"])
            response = Problem(.internalServerError, "internal", "the server could not complete the request; quote request id \(context.requestID)")
                .response(requestID: context.requestID)
        }
        metrics.countRequest(status: response.status.code)
        // The route's template (`/api/v1/jobs/{id}`), not the path: nothing a caller typed reaches the log.
        context.logger.info("request", metadata: [
            "http.method": "\(request.method)",
            "http.route": "\(context.endpointPath ?? "unmatched")", "http.status": "\(response.status.code)",
            "duration.ms": "\(Self.milliseconds(since: started))",
        ])
        return response
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = (ContinuousClock.now - start).components
        return String(format: "%.2f", Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15)
    }
}
