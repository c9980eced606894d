import Foundation
import GRDB
public import Service

/// API users in the `api_users` table.
public struct SQLiteUserStore: UserStore {
    public let database: SQLiteDatabase

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func add(name: String, role: Role, keyDigest: String) throws -> APIUser {
        let created = Date()
        return try database.guarded("add a user to") {
            try database.pool.write { db in
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM api_users WHERE name = ?", arguments: [name]) == true {
                    throw ServiceError(.conflict, "a user called \(name) exists already")
                }
                try db.execute(sql: "INSERT INTO api_users (name, role, key_digest, created) VALUES (?, ?, ?, ?)",
                               arguments: [name, role.rawValue, keyDigest, ISO8601DateFormatter().string(from: created)])
                return APIUser(id: db.lastInsertedRowID, name: name, role: role, created: created)
            }
        }
    }

    public func user(keyDigest: String) throws -> APIUser? {
        try database.guarded("read") {
            try database.pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM api_users WHERE key_digest = ? AND revoked = 0", arguments: [keyDigest]).map(Self.user)
            }
        }
    }

    public func users() throws -> [APIUser] {
        try database.guarded("read") {
            try database.pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_users ORDER BY id").map(Self.user) }
        }
    }

    public func revoke(name: String) throws -> Bool {
        try database.guarded("revoke a user in") {
            try database.pool.write { db in
                try db.execute(sql: "UPDATE api_users SET revoked = 1 WHERE name = ?", arguments: [name])
                return db.changesCount > 0
            }
        }
    }

    private static func user(_ row: Row) -> APIUser {
        let created = ISO8601DateFormatter().date(from: row["created"]) ?? Date(timeIntervalSince1970: 0)
        // A role this build does not know (a newer release wrote it) fails closed: the key stops working.
        let role = Role(rawValue: row["role"])
        return APIUser(id: row["id"], name: row["name"], role: role ?? .auditor, created: created,
                       revoked: role == nil || row["revoked"] as Bool)
    }
}

extension SQLiteDatabase {
    /// Runs `body`, turning SQLite's errors into a ``StorageError`` that names the file (service errors pass).
    func guarded<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw StorageError("\(path): cannot \(what) the database (\(SQLiteDatabase.reason(error)))")
        }
    }
}
