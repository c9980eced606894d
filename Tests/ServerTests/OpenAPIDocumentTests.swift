import Foundation
import Server
import Testing

/// The bundled OpenAPI document and the router describe the same API: every route is documented with its method,
/// and every documented operation is served.
@Suite struct OpenAPIDocumentTests {
    private func documentedOperations() throws -> Set<String> {
        let spec = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.data) as? [String: Any])
        #expect(spec["openapi"] as? String == "3.1.0")
        let paths = try #require(spec["paths"] as? [String: [String: Any]])
        var operations: Set<String> = []
        for (path, methods) in paths {
            for method in methods.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsServed() throws {
        let served = Set(try TestServer.operations())
        let documented = try documentedOperations()
        #expect(served.subtracting(documented).isEmpty, "undocumented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "not served: \(documented.subtracting(served).sorted())")
        #expect(served.count >= 12)
    }

    @Test func everyOperationDescribesItsErrorsAsProblemDetails() throws {
        let spec = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.data) as? [String: Any])
        let paths = try #require(spec["paths"] as? [String: [String: [String: Any]]])
        for (path, methods) in paths where path.hasPrefix("/api/") {
            for (method, operation) in methods {
                let responses = try #require(operation["responses"] as? [String: Any], "\(method) \(path)")
                #expect(responses["401"] != nil, "\(method) \(path) does not document 401")
            }
        }
    }
}
