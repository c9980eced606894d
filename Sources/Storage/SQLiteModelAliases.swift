import Foundation
import GRDB
public import Inference

/// Model aliases in the `model_aliases` table.
public struct SQLiteModelAliases: ModelAliasStore {
    public let database: SQLiteDatabase

    public init(database: SQLiteDatabase) { self.database = database }

    public func setAlias(_ alias: String, model: String, version: Int, by user: String) throws {
        try database.guarded("set a model alias in") {
            try database.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO model_aliases (model, alias, version, updated, updated_by) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(model, alias) DO UPDATE SET version = excluded.version, updated = excluded.updated, updated_by = excluded.updated_by
                    """, arguments: [model, alias, version, ISO8601DateFormatter().string(from: Date()), user])
            }
        }
    }

    public func aliases(model: String) throws -> [String: Int] {
        try database.guarded("read") {
            try database.pool.read { db in
                Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT alias, version FROM model_aliases WHERE model = ?", arguments: [model])
                    .map { (row: Row) -> (String, Int) in (row["alias"], row["version"]) })
            }
        }
    }
}
