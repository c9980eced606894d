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

    public func deprecate(model: String, version: Int, reason: String, by user: String) throws {
        try database.guarded("deprecate a model version in") {
            try database.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO model_version_status (model, version, status, reason, updated, updated_by) VALUES (?, ?, 'deprecated', ?, ?, ?)
                    ON CONFLICT(model, version) DO UPDATE SET status = excluded.status, reason = excluded.reason, updated = excluded.updated,
                        updated_by = excluded.updated_by
                    """, arguments: [model, version, reason, ISO8601DateFormatter().string(from: Date()), user])
            }
        }
    }

    public func deprecations(model: String) throws -> [Int: String] {
        try database.guarded("read") {
            try database.pool.read { db in
                Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT version, reason FROM model_version_status WHERE model = ? AND status = 'deprecated'",
                                                                  arguments: [model])
                    .map { (row: Row) -> (Int, String) in (row["version"], row["reason"]) })
            }
        }
    }

    public func forget(model: String, version: Int) throws {
        try database.guarded("forget a model version in") {
            try database.pool.write { db in
                try db.execute(sql: "DELETE FROM model_version_status WHERE model = ? AND version = ?", arguments: [model, version])
            }
        }
    }
}
