import Foundation
import GRDB
public import Inference

/// The disease knowledge base in the `kb_diseases` and `kb_label_mappings` tables.
public struct SQLiteKnowledgeBase: KnowledgeBaseStore {
    public let database: SQLiteDatabase

    public init(database: SQLiteDatabase) { self.database = database }

    public func save(diseases: [Disease], mappings: [LabelMapping]) throws {
        try database.guarded("update the knowledge base in") {
            try database.pool.write { db in
                for d in diseases {
                    try db.execute(sql: """
                        INSERT INTO kb_diseases (code, name_zh, name_en, description, treatment, urgency, source) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, description = excluded.description,
                            treatment = excluded.treatment, urgency = excluded.urgency, source = excluded.source
                        """, arguments: [d.code, d.nameZh, d.nameEn, d.description, d.treatment, d.urgency.rawValue, d.source])
                }
                for m in mappings {
                    try db.execute(sql: """
                        INSERT INTO kb_label_mappings (model, label, code) VALUES (?, ?, ?)
                        ON CONFLICT(model, label) DO UPDATE SET code = excluded.code
                        """, arguments: [m.model, m.label, m.code])
                }
            }
        }
    }

    public func diseases() throws -> [Disease] {
        try database.guarded("read") {
            try database.pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM kb_diseases ORDER BY code").map(Self.disease) }
        }
    }

    public func mappings() throws -> [LabelMapping] {
        try database.guarded("read") {
            try database.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM kb_label_mappings ORDER BY model, label").map {
                    LabelMapping(model: $0["model"], label: $0["label"], code: $0["code"])
                }
            }
        }
    }

    public func disease(model: String, label: String) throws -> Disease? {
        try database.guarded("read") {
            try database.pool.read { db in
                try Row.fetchOne(db, sql: """
                    SELECT d.* FROM kb_label_mappings m JOIN kb_diseases d ON d.code = m.code WHERE m.model = ? AND m.label = ?
                    """, arguments: [model, label]).map(Self.disease)
            }
        }
    }

    static func disease(_ row: Row) -> Disease {
        Disease(code: row["code"], nameZh: row["name_zh"], nameEn: row["name_en"], description: row["description"],
                treatment: row["treatment"], urgency: Disease.Urgency(rawValue: row["urgency"]) ?? .routine, source: row["source"])
    }
}
