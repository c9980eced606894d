/// What `medlocal doctor` learns of a database: SQLite's integrity check and the schema migrations.
public struct DatabaseHealth: Sendable, Equatable {
    /// `PRAGMA integrity_check`'s rows: exactly `["ok"]` when the file is sound.
    public var integrity: [String]
    /// Migrations recorded in the file.
    public var applied: [String]
    /// Migrations this build knows, in order.
    public var known: [String]

    public init(integrity: [String], applied: [String], known: [String]) {
        self.integrity = integrity
        self.applied = applied
        self.known = known
    }

    public var isSound: Bool { integrity == ["ok"] }
    /// Known migrations the file has not had yet (the server applies them when it starts).
    public var pending: [String] { known.filter { !applied.contains($0) } }
    /// Migrations in the file that this build does not know: it was written by a newer release.
    public var unknown: [String] { applied.filter { !known.contains($0) } }
}
