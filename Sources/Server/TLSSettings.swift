import Audit
import Crypto
import Foundation
import NIOSSL

/// HTTPS for `serve`: the server's certificate chain and private key (PEM files), and optionally the CA whose
/// client certificates authenticate users (mTLS). Files are read when the server starts, so a bad path or a key
/// that does not match its certificate stops the start with the file named, rather than failing every handshake.
public struct TLSSettings: Sendable, Equatable {
    public var certificateChainPath: String
    public var privateKeyPath: String
    /// Client certificates that chain to this CA are accepted; a user is whoever the certificate was registered
    /// to (`medlocal users add NAME --role R --certificate FILE`). Nil: no client certificates.
    public var clientCAPath: String?
    /// With a client CA: refuse the handshake without a valid client certificate (then /healthz, /readyz and
    /// /metrics need one too). Without it a client may present a certificate or an API key.
    public var requireClientCertificate = false

    public init(certificateChainPath: String, privateKeyPath: String, clientCAPath: String? = nil, requireClientCertificate: Bool = false) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.clientCAPath = clientCAPath
        self.requireClientCertificate = requireClientCertificate
    }

    var acceptsClientCertificates: Bool { clientCAPath != nil }

    /// The NIOSSL server configuration: TLS 1.2 or newer, client certificates verified against the CA when one is set.
    /// - Throws: ``TLSSettingsError`` naming the file that cannot be used.
    func configuration() throws -> TLSConfiguration {
        let chain = try Self.certificates(certificateChainPath, what: "server certificate")
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: try Self.readable(privateKeyPath, what: "server private key"), format: .pem)
        } catch let error as TLSSettingsError {
            throw error
        } catch {
            throw TLSSettingsError("\(privateKeyPath): not a PEM private key (or it is encrypted)")
        }
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        if let clientCAPath {
            tls.trustRoots = .certificates(try Self.certificates(clientCAPath, what: "client CA"))
            tls.certificateVerification = requireClientCertificate ? .noHostnameVerification : .optionalVerification
        }
        do {
            _ = try NIOSSLContext(configuration: tls)
        } catch {
            throw TLSSettingsError("\(privateKeyPath): the private key does not belong to the certificate in \(certificateChainPath)")
        }
        return tls
    }

    private static func certificates(_ path: String, what: String) throws -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(try readable(path, what: what))
        } catch let error as TLSSettingsError {
            throw error
        } catch {
            throw TLSSettingsError("\(path): the \(what) file holds no readable PEM certificate")
        }
        guard !certificates.isEmpty else { throw TLSSettingsError("\(path): the \(what) file holds no PEM certificate") }
        return certificates
    }

    private static func readable(_ path: String, what: String) throws -> String {
        guard FileManager.default.isReadableFile(atPath: path) else { throw TLSSettingsError("\(path): cannot read the \(what) file") }
        return path
    }
}

/// A TLS file that cannot be used, named with what is wrong.
public struct TLSSettingsError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// How a client certificate is tied to a user: the SHA-256 of its DER encoding, stored where an API key's digest
/// would be. Both are 64 hex digits of SHA-256 over inputs that cannot coincide (a key is `mlk_…` text, DER starts
/// with 0x30), so one lookup serves both, and a certificate re-issued with a new key is a new credential.
public enum ClientCertificate {
    /// The fingerprint of the first certificate in a PEM file.
    /// - Throws: ``TLSSettingsError`` when the file holds no certificate.
    public static func fingerprint(pemFile path: String) throws -> String {
        guard FileManager.default.isReadableFile(atPath: path) else { throw TLSSettingsError("\(path): cannot read the certificate file") }
        guard let certificate = try? NIOSSLCertificate.fromPEMFile(path).first else {
            throw TLSSettingsError("\(path): the file holds no PEM certificate")
        }
        return try fingerprint(certificate)
    }

    static func fingerprint(_ certificate: NIOSSLCertificate) throws -> String {
        hex(SHA256.hash(data: try certificate.toDERBytes()))
    }
}
