import Foundation
import Yams

/// `medlocal.yaml`: the installation's settings (`/etc/medlocal/medlocal.yaml` as `install.sh` writes it, or the
/// file `$MEDLOCAL_CONFIG` names). Every key is optional. Precedence, lowest first: built-in defaults, this file,
/// environment variables, command-line flags (ARCHITECTURE.md, "Where things live").
public struct Settings: Sendable, Equatable {
    public var host: String?
    public var port: Int?
    public var dataDirectory: String?
    public var keyFile: String?
    public var policy: String?
    public var workers: Int?
    public var uploadLimitMB: Int?
    public var pageLimit: Int?
    public var zipRatioLimit: Int?
    public var retentionDays: Int?
    public var watch: String?
    public var tlsCertificate: String?
    public var tlsKey: String?
    public var clientCA: String?
    public var requireClientCertificate: Bool?
    public var encryptAtRest: Bool?
    public var workDirectory: String?
    /// `text` (a line per event) or `json` (an object per line, for journald and a SIEM).
    public var logFormat: String?
    /// Mirror audit checkpoints to syslog.
    public var auditSyslog: Bool?
    /// systemd's MemoryMax for the service (read by install.sh, ignored by the binary).
    public var memoryMax: String?

    public init() {}

    /// The settings in force for this process: `$MEDLOCAL_CONFIG`, else `/etc/medlocal/medlocal.yaml` when it
    /// exists, else none. Read once.
    public static let current: Result<Settings, SettingsError> = {
        let environment = ProcessInfo.processInfo.environment
        let path = environment["MEDLOCAL_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? systemPath
        if environment["MEDLOCAL_CONFIG"] == nil, !FileManager.default.fileExists(atPath: path) { return .success(Settings()) }
        return Result { () throws(SettingsError) in try load(path: path) }
    }()

    public static let systemPath = "/etc/medlocal/medlocal.yaml"

    /// - Throws: ``SettingsError`` naming the file, and the line and key of the first problem.
    public static func load(path: String) throws(SettingsError) -> Settings {
        guard let data = FileManager.default.contents(atPath: path) else { throw SettingsError("\(path): cannot be read") }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    public static func parse(_ text: String, source: String) throws(SettingsError) -> Settings {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw SettingsError("\(source): not valid YAML (\(error))") }
        guard let root else { return Settings() }   // only comments: every default
        guard let mapping = root.mapping else { throw SettingsError("\(source): expected `key: value` lines") }
        var settings = Settings()
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let line = keyNode.mark.map { "line \($0.line)" } ?? "?"
            func text() throws(SettingsError) -> String {
                guard let string = value.scalar?.string, !string.isEmpty else { throw SettingsError("\(source), \(line): \(key) must be text") }
                return string
            }
            func number(_ range: ClosedRange<Int>) throws(SettingsError) -> Int {
                guard let number = value.int, range.contains(number) else { throw SettingsError("\(source), \(line): \(key) must be a whole number in \(range.lowerBound)...\(range.upperBound)") }
                return number
            }
            func flag() throws(SettingsError) -> Bool {
                guard let flag = value.bool else { throw SettingsError("\(source), \(line): \(key) must be true or false") }
                return flag
            }
            switch key {
            case "host": settings.host = try text()
            case "port": settings.port = try number(0...65535)
            case "data_dir": settings.dataDirectory = try text()
            case "key_file": settings.keyFile = try text()
            case "policy": settings.policy = try text()
            case "workers": settings.workers = try number(1...64)
            case "upload_limit_mb": settings.uploadLimitMB = try number(1...1_048_576)
            case "page_limit": settings.pageLimit = try number(1...1_000_000)
            case "zip_ratio_limit": settings.zipRatioLimit = try number(2...100_000)
            case "retention_days": settings.retentionDays = try number(1...36_500)
            case "watch": settings.watch = try text()
            case "tls_cert": settings.tlsCertificate = try text()
            case "tls_key": settings.tlsKey = try text()
            case "client_ca": settings.clientCA = try text()
            case "require_client_certificate": settings.requireClientCertificate = try flag()
            case "encrypt_at_rest": settings.encryptAtRest = try flag()
            case "work_dir": settings.workDirectory = try text()
            case "log_format":
                let format = try text()
                guard ["text", "json"].contains(format) else { throw SettingsError("\(source), \(line): log_format must be text or json") }
                settings.logFormat = format
            case "audit_syslog": settings.auditSyslog = try flag()
            case "memory_max": settings.memoryMax = try text()
            default:
                throw SettingsError("\(source), \(line): unknown setting '\(key)' (known: \(known.joined(separator: ", ")))")
            }
        }
        return settings
    }

    static let known = ["host", "port", "data_dir", "key_file", "policy", "workers", "upload_limit_mb", "page_limit", "zip_ratio_limit",
                        "retention_days", "watch", "tls_cert", "tls_key", "client_ca", "require_client_certificate", "encrypt_at_rest",
                        "work_dir", "log_format", "audit_syslog", "memory_max"]
}

/// A settings file that cannot be used; the message names the file, the line and the key.
public struct SettingsError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Where a command's data folder and key file are when no flag names them: the environment, then the settings file,
/// then `var` and `var/key`.
public enum DataLocations {
    public static func dataDirectory(_ flag: String?) -> String {
        flag ?? environment("MEDLOCAL_DATA_DIR") ?? (try? Settings.current.get())?.dataDirectory ?? "var"
    }

    public static func keyFile(_ flag: String?) -> String {
        flag ?? environment("MEDLOCAL_KEY_FILE") ?? (try? Settings.current.get())?.keyFile ?? "var/key"
    }

    /// Whether the key file was named (flag, environment or settings) rather than defaulted.
    public static func keyFileNamed(_ flag: String?) -> Bool {
        flag != nil || environment("MEDLOCAL_KEY_FILE") != nil || (try? Settings.current.get())?.keyFile != nil
    }

    /// A variable's value, with an empty one taken as unset.
    public static func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
