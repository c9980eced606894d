import Foundation
import Service
import Testing
import TestSupport

/// HTTPS and mTLS through real handshakes: certificates made by openssl at test time (a CA, a server certificate
/// for 127.0.0.1, client certificates from the CA and from a stranger), requests made by curl.
@Suite(.serialized) struct TLSTests {
    /// A throwaway PKI in a temporary folder.
    struct TestCertificates {
        let folder: URL

        init() throws {
            folder = try Fixtures.temporaryDirectory()
            try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                         "-subj", "/CN=MedLocal Test CA", "-keyout", path("ca.key"), "-out", path("ca.pem"),
                         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
            try issue("server", subject: "/CN=127.0.0.1", extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth")
            try issue("client", subject: "/CN=ward-7 workstation", extensions: "extendedKeyUsage=clientAuth")
            try issue("unregistered", subject: "/CN=someone else", extensions: "extendedKeyUsage=clientAuth")
            try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                         "-subj", "/CN=ward-7 workstation", "-keyout", path("stranger.key"), "-out", path("stranger.pem")])
        }

        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        /// A key and a certificate signed by the test CA.
        private func issue(_ name: String, subject: String, extensions: String) throws {
            try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", subject,
                         "-keyout", path("\(name).key"), "-out", path("\(name).csr")])
            try extensions.write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
            try openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                         "-CAcreateserial", "-days", "2", "-extfile", path("\(name).ext"), "-out", path("\(name).pem")])
        }

        /// SHA-256 of the certificate's DER, computed by openssl (not by the code under test).
        func fingerprint(_ name: String) throws -> String {
            let text = try openssl(["x509", "-in", path("\(name).pem"), "-noout", "-fingerprint", "-sha256"])
            return String(text.split(separator: "=").last ?? "").replacingOccurrences(of: ":", with: "")
                .trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        }

        @discardableResult
        private func openssl(_ arguments: [String]) throws -> String {
            let result = ExternalCommand.run("/usr/bin/openssl", arguments)
            guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl: \(result.errors)"]) }
            return result.output
        }
    }

    /// curl's exit status, the HTTP status it saw (0 when the handshake failed) and the body.
    struct CurlResult {
        var exit: Int32
        var status: Int
        var body: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }

    static func curl(_ url: URL, _ path: String, trust certificates: TestCertificates?, client: String? = nil, key: String? = nil) -> CurlResult {
        var arguments = ["-sS", "--max-time", "20", "-o", "-", "-w", "\n%{http_code}"]
        if let certificates { arguments += ["--cacert", certificates.path("ca.pem")] }
        if let client, let certificates { arguments += ["--cert", certificates.path("\(client).pem"), "--key", certificates.path("\(client).key")] }
        if let key { arguments += ["-H", "Authorization: Bearer \(key)"] }
        arguments.append(URL(string: path, relativeTo: url)!.absoluteString)
        let result = ExternalCommand.run("/usr/bin/curl", arguments)
        var lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.popLast() ?? "") ?? 0
        return CurlResult(exit: result.status, status: status, body: lines.joined(separator: "\n"))
    }

    @Test func httpsServesTheAPIToClientsThatTrustItsCertificate() async throws {
        let certificates = try TestCertificates()
        defer { try? FileManager.default.removeItem(at: certificates.folder) }
        let server = try await TestServer.start(arguments: ["--tls-cert", certificates.path("server.pem"), "--tls-key", certificates.path("server.key")])
        defer { Task { await server.stop() } }
        #expect(server.base.scheme == "https")

        let health = Self.curl(server.base, "/healthz", trust: certificates)
        #expect(health.status == 200)
        let me = Self.curl(server.base, "/api/v1/me", trust: certificates, key: server.keys[.operator])
        #expect(me.status == 200)
        #expect(me.json["role"] as? String == "operator")
        #expect(Self.curl(server.base, "/api/v1/me", trust: certificates).status == 401)

        // A client that does not trust the CA stops at the handshake (curl 60: peer certificate cannot be verified).
        let untrusting = Self.curl(server.base, "/healthz", trust: nil)
        #expect(untrusting.exit == 60)
        #expect(untrusting.status == 0)
        // Plain HTTP on the TLS port gets no HTTP answer.
        var plain = URLComponents(url: server.base, resolvingAgainstBaseURL: false)!
        plain.scheme = "http"
        #expect(Self.curl(plain.url!, "/healthz", trust: nil).status != 200)
    }

    @Test func aClientCertificateFromTheCAAuthenticatesAsTheUserItWasRegisteredTo() async throws {
        let certificates = try TestCertificates()
        defer { try? FileManager.default.removeItem(at: certificates.folder) }
        var printedFingerprint = ""
        let server = try await TestServer.start(arguments: ["--tls-cert", certificates.path("server.pem"), "--tls-key", certificates.path("server.key"),
                                                            "--client-ca", certificates.path("ca.pem")]) { _, data, _ in
            let added = ExternalCommand.run(Fixtures.medlocalBinary.path, ["users", "add", "ward-7", "--role", "operator",
                                                                  "--certificate", certificates.path("client.pem"), "--data-dir", data.path])
            #expect(added.status == 0, "\(added.errors)")
            printedFingerprint = String(added.output.split(separator: "\n").last ?? "")
        }
        defer { Task { await server.stop() } }
        #expect(printedFingerprint == (try certificates.fingerprint("client")))

        let me = Self.curl(server.base, "/api/v1/me", trust: certificates, client: "client")
        #expect(me.status == 200)
        #expect(me.json["name"] as? String == "ward-7")
        #expect(me.json["role"] as? String == "operator")
        // Client certificates are optional here: API keys still work, and the open routes need neither.
        #expect(Self.curl(server.base, "/api/v1/me", trust: certificates, key: server.keys[.auditor]).json["role"] as? String == "auditor")
        #expect(Self.curl(server.base, "/healthz", trust: certificates).status == 200)
        #expect(Self.curl(server.base, "/api/v1/me", trust: certificates).status == 401)
        // Issued by the CA but registered to nobody: a 401, not a user.
        #expect(Self.curl(server.base, "/api/v1/me", trust: certificates, client: "unregistered").status == 401)
        // Same subject, not issued by the CA: refused at the handshake.
        let stranger = Self.curl(server.base, "/api/v1/me", trust: certificates, client: "stranger")
        #expect(stranger.status == 0)
        #expect(stranger.exit != 0)
        // The role of the certificate's user is enforced like a key's: an operator may not read the audit trail.
        #expect(Self.curl(server.base, "/api/v1/audit/records", trust: certificates, client: "client").status == 403)
    }

    @Test func aRequiredClientCertificateIsCheckedAtTheHandshakeForEveryRoute() async throws {
        let certificates = try TestCertificates()
        defer { try? FileManager.default.removeItem(at: certificates.folder) }
        let server = try await TestServer.start(arguments: ["--tls-cert", certificates.path("server.pem"), "--tls-key", certificates.path("server.key"),
                                                            "--client-ca", certificates.path("ca.pem"), "--require-client-certificate"])
        defer { Task { await server.stop() } }
        let anonymous = Self.curl(server.base, "/healthz", trust: certificates)
        #expect(anonymous.status == 0)
        #expect(anonymous.exit != 0)
        #expect(Self.curl(server.base, "/healthz", trust: certificates, client: "client").status == 200)
        // A key is still needed for /api when the certificate is registered to nobody.
        #expect(Self.curl(server.base, "/api/v1/me", trust: certificates, client: "client").status == 401)
        #expect(Self.curl(server.base, "/api/v1/me", trust: certificates, client: "client", key: server.keys[.admin]).json["role"] as? String == "admin")
    }

    @Test func unusableTLSFilesStopTheStartAndNameTheFile() throws {
        let certificates = try TestCertificates()
        defer { try? FileManager.default.removeItem(at: certificates.folder) }
        let (folder, _, _) = try TestServer.prepare()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("var").path
        func serve(certificate: String, key: String) -> ExternalCommand {
            ExternalCommand.run(Fixtures.medlocalBinary.path, ["serve", "--port", "0", "--data-dir", data, "--key-file", data + "/key",
                                                       "--tls-cert", certificate, "--tls-key", key])
        }
        let notAKey = serve(certificate: certificates.path("server.pem"), key: certificates.path("ca.pem"))
        #expect(notAKey.status != 0)
        #expect(notAKey.errors.contains(certificates.path("ca.pem")))
        #expect(!notAKey.output.contains("MedLocal serving"))

        let otherKey = serve(certificate: certificates.path("server.pem"), key: certificates.path("client.key"))
        #expect(otherKey.status != 0)
        #expect(otherKey.errors.contains("does not belong"))

        let missing = serve(certificate: certificates.path("absent.pem"), key: certificates.path("server.key"))
        #expect(missing.status != 0)
        #expect(missing.errors.contains(certificates.path("absent.pem")))
    }
}
