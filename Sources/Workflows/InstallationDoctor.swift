import Anonymization
import Audit
import Crypto
public import Foundation
import Inference
import Service

/// `medlocal doctor`: checks an installation the way an operator would before calling for help — the binary, the
/// native libraries and language data, the backbone model, the key file, the data folder, the database, free disk
/// and the clock — and says for each problem what to do. It changes nothing.
public struct InstallationDoctor: Sendable {
    public enum Status: String, Sendable { case ok = "ok", warning = "warn", failure = "FAIL" }

    public struct Check: Sendable {
        public var area: String
        public var status: Status
        public var detail: String
        /// What to do about a warning or failure.
        public var fix: String?
    }

    public var dataDirectory: String
    public var keyPath: String
    public var environment: [String: String]
    /// Free space below which the data folder is a failure (uploads and outputs would stop being written).
    public var minimumFreeBytes: Int64 = 1 << 30

    public init(dataDirectory: String, keyPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.dataDirectory = dataDirectory
        self.keyPath = keyPath
        self.environment = environment
    }

    public func run(version: String) -> [Check] {
        var checks = [binary(version: version)]
        checks += ocrLanguageData()
        checks.append(imageModels())
        let (keyCheck, key) = self.key()
        checks.append(keyCheck)
        checks.append(dataFolder())
        let (databaseChecks, chainReadable) = database(key: key)
        checks += databaseChecks
        checks.append(disk())
        checks.append(clock(auditChainReadable: chainReadable))
        return checks
    }

    // MARK: Checks

    func binary(version: String) -> Check {
        let executable = InstalledFiles.runningExecutable.path
        return Check(area: "binary", status: .ok, detail: "medlocal \(version) at \(executable)")
    }

    /// Tesseract reads its language data at run time; a missing file fails only the first scanned page otherwise.
    func ocrLanguageData() -> [Check] {
        let folders = [environment["TESSDATA_PREFIX"], "/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata"].compactMap { $0 }
        let needed = ["eng", "chi_sim", "osd"]
        guard let folder = folders.first(where: { FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("eng.traineddata")) }) else {
            return [Check(area: "ocr", status: .failure, detail: "no Tesseract language data found (looked in \(folders.joined(separator: ", ")))",
                          fix: "install tesseract-ocr-eng and tesseract-ocr-chi-sim (the bundle's install.sh does)")]
        }
        let missing = needed.filter { !FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("\($0).traineddata")) }
        guard missing.isEmpty else {
            return [Check(area: "ocr", status: .failure, detail: "\(folder) lacks \(missing.map { "\($0).traineddata" }.joined(separator: ", "))",
                          fix: "install the Debian packages tesseract-ocr-\(missing.map { $0.replacingOccurrences(of: "_", with: "-") }.joined(separator: " tesseract-ocr-"))")]
        }
        return [Check(area: "ocr", status: .ok, detail: "Tesseract language data \(needed.joined(separator: ", ")) in \(folder)")]
    }

    /// ONNX Runtime and the converted backbone, loaded for real (what `models train` and `classify` need).
    func imageModels() -> Check {
        do {
            let (_, digest) = try ImageModels.current.backbone()
            return Check(area: "models", status: .ok, detail: "ONNX Runtime loads; backbone efficientnet-lite0 loads (sha256 \(digest.prefix(16))…)")
        } catch {
            return Check(area: "models", status: .failure, detail: "image models unavailable: \(error)",
                         fix: "reinstall the bundle (lib/medlocal/models, lib/medlocal/onnxruntime) or run `make deps` in a checkout")
        }
    }

    func key() -> (Check, ProjectKey?) {
        do {
            let key = try ProjectKey.load(from: keyPath)
            let owner = (try? FileManager.default.attributesOfItem(atPath: keyPath)[.ownerAccountID] as? NSNumber)?.uint32Value
            if let owner, owner != geteuid() {
                return (Check(area: "key", status: .warning, detail: "\(keyPath) belongs to uid \(owner), not to this user (uid \(geteuid()))",
                              fix: "chown the key to the service user (medlocal)"), key)
            }
            let insideData = Self.isInside(keyPath, folder: dataDirectory)
            let summary = "\(keyPath): mode 0600, \(key.entries.count) key(s), active \(key.id), derivation \(key.derivationID)"
            if insideData {
                return (Check(area: "key", status: .warning, detail: summary + "; it lies inside the data folder",
                              fix: "move it out of the data folder (a disk or backup that leaks the data should not carry the key), e.g. /etc/medlocal/key, and set key_file"), key)
            }
            return (Check(area: "key", status: .ok, detail: summary), key)
        } catch {
            let fix: String? = switch error.code {
            case .permissions: "chmod 600 \(keyPath)"
            case .missing: "medlocal keygen -o \(keyPath) (a new install), or medlocal key import ESCROW --passphrase-file F -o \(keyPath) (a lost disk)"
            default: "restore the key file from its escrow copy: medlocal key import"
            }
            return (Check(area: "key", status: .failure, detail: error.message, fix: fix), nil)
        }
    }

    func dataFolder() -> Check {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dataDirectory, isDirectory: &isFolder) else {
            return Check(area: "data", status: .warning, detail: "\(dataDirectory) does not exist yet", fix: "it is created on the first `medlocal serve`; check the path")
        }
        guard isFolder.boolValue else { return Check(area: "data", status: .failure, detail: "\(dataDirectory) is not a folder", fix: "point --data-dir at a folder") }
        guard access(dataDirectory, W_OK | X_OK) == 0 else {
            return Check(area: "data", status: .failure, detail: "\(dataDirectory) is not writable by this user", fix: "chown -R medlocal: \(dataDirectory)")
        }
        let mode = ((try? FileManager.default.attributesOfItem(atPath: dataDirectory)[.posixPermissions]) as? Int ?? 0) & 0o777
        if mode & 0o077 != 0 {
            return Check(area: "data", status: .warning, detail: "\(dataDirectory) is open to other users (mode \(String(mode, radix: 8)))", fix: "chmod 700 \(dataDirectory)")
        }
        return Check(area: "data", status: .ok, detail: "\(dataDirectory) writable, mode \(String(mode, radix: 8))")
    }

    /// The database's checks, and whether its audit chain can be read without migrating anything (then the chain is
    /// verified here and its newest record dated for the clock check).
    func database(key: ProjectKey?) -> (checks: [Check], chainReadable: Bool) {
        let path = (dataDirectory as NSString).appendingPathComponent("medlocal.sqlite")
        guard FileManager.default.fileExists(atPath: path) else {
            return ([Check(area: "database", status: .ok, detail: "no database yet; created on first use")], false)
        }
        guard let inspect = Stores.current.inspectDatabase else {
            return ([Check(area: "database", status: .warning, detail: "this build has no database check wired in")], false)
        }
        let health: DatabaseHealth
        do { health = try inspect(dataDirectory) } catch {
            return ([Check(area: "database", status: .failure, detail: "\(error)", fix: "restore the data folder from a backup: medlocal restore-backup")], false)
        }
        guard health.isSound else {
            return ([Check(area: "database", status: .failure, detail: "\(path) fails SQLite's integrity check: \(health.integrity.prefix(3).joined(separator: "; "))",
                          fix: "stop the server and restore from the newest backup (medlocal restore-backup BACKUP --data-dir NEW)")], false)
        }
        guard health.unknown.isEmpty else {
            return ([Check(area: "database", status: .failure, detail: "\(path) was written by a newer release (migrations \(health.unknown.joined(separator: ", ")))",
                          fix: "reinstall the newer release, or restore the backup taken before the upgrade")], false)
        }
        var checks = [Check(area: "database", status: .ok,
                            detail: "\(path): integrity ok, schema \(health.applied.count)/\(health.known.count) migrations" + (health.pending.isEmpty ? "" : " (\(health.pending.count) pending; applied when the server starts)"))]
        guard health.pending.isEmpty else { return (checks, false) }   // opening the audit store would migrate: leave that to the server
        checks.append(audit(key: key))
        return (checks, true)
    }

    /// The chain verifies, and the key file is the one that signed its checkpoints.
    func audit(key: ProjectKey?) -> Check {
        let location = AuditLocation(dataDirectory: dataDirectory, syslog: false)
        do {
            let report = try AuditMaintenance.verify(location, publicKeyHex: nil)
            if let problem = report.problem {
                return Check(area: "audit", status: .failure, detail: "the audit chain does not verify: \(problem.message)",
                             fix: "keep the data folder as it is for investigation; export with `medlocal audit export` and report it")
            }
            if let key, let stored = location.checkpoints.storedPublicKey(),
               let own = try? AuditLocation.signingKey(from: key).publicKey, stored.rawRepresentation != own.rawRepresentation {
                return Check(area: "audit", status: .failure, detail: "the key file is not the key that signed this data folder's audit checkpoints",
                             fix: "use the data folder's own key (or its escrow copy: medlocal key import)")
            }
            return Check(area: "audit", status: .ok, detail: "\(report.records) records verify, \(report.checkpointsVerified) checkpoints")
        } catch {
            return Check(area: "audit", status: .failure, detail: "\(error)")
        }
    }

    func disk() -> Check {
        var folder = dataDirectory
        while !FileManager.default.fileExists(atPath: folder), folder != "/", !folder.isEmpty { folder = (folder as NSString).deletingLastPathComponent }
        guard let attributes = try? FileManager.default.attributesOfFileSystem(forPath: folder.isEmpty ? "." : folder),
              let free = (attributes[.systemFreeSize] as? NSNumber)?.int64Value,
              let size = (attributes[.systemSize] as? NSNumber)?.int64Value, size > 0 else {
            return Check(area: "disk", status: .warning, detail: "free space of \(folder) unknown")
        }
        let text = "\(ByteCountFormatter.string(fromByteCount: free, countStyle: .file)) free of \(ByteCountFormatter.string(fromByteCount: size, countStyle: .file))"
        if free < minimumFreeBytes {
            return Check(area: "disk", status: .failure, detail: text, fix: "free space on the data folder's disk (purge old jobs: serve --retention-days)")
        }
        if Double(free) / Double(size) < 0.05 {
            return Check(area: "disk", status: .warning, detail: text + " (under 5 %)", fix: "plan more space for the data folder")
        }
        return Check(area: "disk", status: .ok, detail: text)
    }

    /// Audit times and retention depend on the clock: it must be plausible and must not run behind the audit log.
    func clock(auditChainReadable: Bool) -> Check {
        let now = Date()
        let text = ISO8601DateFormatter().string(from: now)
        if now < Date(timeIntervalSince1970: 1_767_225_600) {   // 2026-01-01: older than this release
            return Check(area: "clock", status: .failure, detail: "the clock says \(text), before this release was made", fix: "set the time (timedatectl set-ntp true, or the hospital's NTP server)")
        }
        if auditChainReadable, let newest = newestAuditTime(), newest.timeIntervalSince(now) > 300 {
            return Check(area: "clock", status: .failure, detail: "the clock (\(text)) is behind the newest audit record (\(ISO8601DateFormatter().string(from: newest)))",
                         fix: "correct the clock before serving: audit records would go out of order")
        }
        if FileManager.default.fileExists(atPath: "/run/systemd/timesync/synchronized") {
            return Check(area: "clock", status: .ok, detail: "\(text), synchronised by systemd-timesyncd")
        }
        return Check(area: "clock", status: .ok, detail: "\(text) (synchronisation not visible here; keep NTP on)")
    }

    private func newestAuditTime() -> Date? {
        guard let store = try? AuditLocation(dataDirectory: dataDirectory, syslog: false).store(),
              let head = try? store.head(), head.count > 0,
              let record = try? store.records(after: head.count - 1, limit: 1).first else { return nil }
        return AuditChain.date(from: record.time)
    }

    static func isInside(_ path: String, folder: String) -> Bool {
        let file = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        let root = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
        return file.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }
}
