import Anonymization
import ArgumentParser
import Foundation
import Workflows

/// Where audit data lives and who is acting: --data-dir (else $MEDLOCAL_DATA_DIR, else ./var) and --actor.
struct AuditOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The data folder holding the audit database and checkpoints (default: $MEDLOCAL_DATA_DIR or var).")
    var dataDirectory: String?

    @Option(help: "Who is acting, for the audit record (default: the operating-system user).")
    var actor: String?

    var location: AuditLocation {
        AuditLocation(dataDirectory: DataLocations.dataDirectory(dataDirectory))
    }

    var actorName: String { actor ?? AuditTrail.currentUser }

    /// The project key for digests and checkpoint signatures. A missing key at the default place is created
    /// (first use, as `make run` does); one named explicitly must exist.
    func key(_ options: KeyOptions) throws -> ProjectKey {
        let path = options.path
        if !DataLocations.keyFileNamed(options.keyFile), !FileManager.default.fileExists(atPath: path) {
            try KeyFiles.create(at: path, overwrite: false)
            FileHandle.standardError.write(Data("medlocal: created the project key \(path) (mode 0600); back it up — pseudonyms, date shifts and the audit signature depend on it\n".utf8))
        }
        return try ProjectKey.load(from: path)
    }
}
