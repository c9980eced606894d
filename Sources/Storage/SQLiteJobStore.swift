public import Foundation
import GRDB
public import Service

/// The job queue in the `jobs` table. A claim is one `BEGIN IMMEDIATE` transaction (select the oldest claimable
/// job, mark it running under a lease), so two workers — threads or processes — never take the same job.
public struct SQLiteJobStore: JobStore {
    public let database: SQLiteDatabase

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func enqueue(_ job: Job) throws {
        try database.guarded("queue a job in") {
            try database.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO jobs (id, kind, state, owner, input_name, options, attempts, progress_done, progress_total, error,
                                      outputs, cancel_requested, created, updated)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [job.id, job.kind.rawValue, job.state.rawValue, job.owner, job.inputName, Self.json(job.options),
                                     job.attempts, job.progressDone, job.progressTotal, job.error, Self.json(job.outputs),
                                     job.cancelRequested, job.created.timeIntervalSince1970, job.updated.timeIntervalSince1970])
            }
        }
    }

    public func claim(worker: String, lease: TimeInterval, maxAttempts: Int) throws -> Job? {
        try database.guarded("claim a job in") {
            try database.pool.writeWithoutTransaction { db in
                var claimed: Job?
                try db.inTransaction(.immediate) {
                    let now = Date().timeIntervalSince1970
                    // Jobs whose worker vanished after their last attempt: failed, with the reason.
                    try db.execute(sql: """
                        UPDATE jobs SET state = 'failed', worker = NULL, lease_until = NULL, updated = ?,
                            error = 'interrupted ' || attempts || ' times (the server stopped while it ran)'
                        WHERE state = 'running' AND lease_until < ? AND attempts >= ?
                        """, arguments: [now, now, maxAttempts])
                    let sql = """
                        SELECT * FROM jobs
                        WHERE (state = 'queued' OR (state = 'running' AND lease_until < ?)) AND cancel_requested = 0
                        ORDER BY created, id LIMIT 1
                        """
                    guard let row = try Row.fetchOne(db, sql: sql, arguments: [now]) else { return .commit }
                    var job = Self.job(row)
                    job.state = .running
                    job.attempts += 1
                    job.updated = Date(timeIntervalSince1970: now)
                    try db.execute(sql: "UPDATE jobs SET state = 'running', attempts = ?, worker = ?, lease_until = ?, updated = ? WHERE id = ?",
                                   arguments: [job.attempts, worker, now + lease, now, job.id])
                    claimed = job
                    return .commit
                }
                return claimed
            }
        }
    }

    public func heartbeat(id: String, worker: String, lease: TimeInterval, done: Int, total: Int) throws -> Bool {
        try database.guarded("update a job in") {
            try database.pool.write { db in
                let now = Date().timeIntervalSince1970
                try db.execute(sql: """
                    UPDATE jobs SET lease_until = ?, progress_done = ?, progress_total = ?, updated = ?
                    WHERE id = ? AND worker = ? AND state = 'running' AND cancel_requested = 0
                    """, arguments: [now + lease, done, total, now, id, worker])
                return db.changesCount > 0
            }
        }
    }

    public func succeed(id: String, worker: String, outputs: [String]) throws {
        try database.guarded("finish a job in") {
            try database.pool.write { db in
                try db.execute(sql: """
                    UPDATE jobs SET state = 'succeeded', outputs = ?, worker = NULL, lease_until = NULL, error = NULL,
                        progress_done = MAX(progress_done, progress_total), updated = ?
                    WHERE id = ? AND worker = ? AND state = 'running'
                    """, arguments: [Self.json(outputs), Date().timeIntervalSince1970, id, worker])
            }
        }
    }

    public func addOutputs(id: String, _ outputs: [String]) throws -> Bool {
        try database.guarded("add outputs to a job in") {
            try database.pool.write { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT outputs FROM jobs WHERE id = ? AND state = 'succeeded'", arguments: [id]) else {
                    return false
                }
                let listed: [String] = Self.decode(row["outputs"]) ?? []
                try db.execute(sql: "UPDATE jobs SET outputs = ?, updated = ? WHERE id = ?",
                               arguments: [Self.json(listed + outputs.filter { !listed.contains($0) }), Date().timeIntervalSince1970, id])
                return true
            }
        }
    }

    public func fail(id: String, worker: String, reason: String, retry: Bool, maxAttempts: Int) throws {
        try database.guarded("fail a job in") {
            try database.pool.write { db in
                let now = Date().timeIntervalSince1970
                try db.execute(sql: """
                    UPDATE jobs SET state = CASE WHEN cancel_requested = 1 THEN 'cancelled'
                                                 WHEN ? AND attempts < ? THEN 'queued' ELSE 'failed' END,
                        error = CASE WHEN cancel_requested = 1 THEN NULL ELSE ? END,
                        worker = NULL, lease_until = NULL, updated = ?
                    WHERE id = ? AND worker = ? AND state = 'running'
                    """, arguments: [retry, maxAttempts, reason, now, id, worker])
            }
        }
    }

    public func cancel(id: String) throws -> Bool {
        try database.guarded("cancel a job in") {
            try database.pool.write { db in
                let now = Date().timeIntervalSince1970
                try db.execute(sql: "UPDATE jobs SET state = 'cancelled', updated = ? WHERE id = ? AND state = 'queued'", arguments: [now, id])
                if db.changesCount > 0 { return true }
                try db.execute(sql: "UPDATE jobs SET cancel_requested = 1, updated = ? WHERE id = ? AND state = 'running'", arguments: [now, id])
                return db.changesCount > 0
            }
        }
    }

    public func job(id: String) throws -> Job? {
        try database.guarded("read") {
            try database.pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]).map(Self.job) }
        }
    }

    public func jobs(owner: Int64?, state: JobState?, limit: Int, offset: Int) throws -> JobPage {
        try database.guarded("read") {
            try database.pool.read { db in
                var conditions: [String] = []
                var arguments: StatementArguments = []
                if let owner { conditions.append("owner = ?"); arguments += [owner] }
                if let state { conditions.append("state = ?"); arguments += [state.rawValue] }
                let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
                let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs \(filter)", arguments: arguments) ?? 0
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM jobs \(filter) ORDER BY created DESC, id LIMIT ? OFFSET ?",
                                            arguments: arguments + [limit, offset])
                return JobPage(jobs: rows.map(Self.job), total: total)
            }
        }
    }

    public func delete(id: String) throws {
        try database.guarded("delete a job from") {
            try database.pool.write { db in try db.execute(sql: "DELETE FROM jobs WHERE id = ?", arguments: [id]) }
        }
    }

    public func counts() throws -> [JobState: Int] {
        try database.guarded("read") {
            try database.pool.read { db in
                var counts: [JobState: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM jobs GROUP BY state") {
                    if let state = JobState(rawValue: row["state"]) { counts[state] = row["n"] }
                }
                return counts
            }
        }
    }

    public func finishedJobs(updatedBefore cutoff: Date, limit: Int) throws -> [String] {
        try database.guarded("read") {
            try database.pool.read { db in
                try String.fetchAll(db, sql: """
                    SELECT id FROM jobs WHERE state IN ('succeeded', 'failed', 'cancelled') AND updated < ? ORDER BY updated LIMIT ?
                    """, arguments: [cutoff.timeIntervalSince1970, limit])
            }
        }
    }

    private static func job(_ row: Row) -> Job {
        Job(id: row["id"], kind: JobKind(rawValue: row["kind"]) ?? .document, state: JobState(rawValue: row["state"]) ?? .failed,
            owner: row["owner"], inputName: row["input_name"], options: decode(row["options"]) ?? [:], attempts: row["attempts"],
            progressDone: row["progress_done"], progressTotal: row["progress_total"], error: row["error"],
            outputs: decode(row["outputs"]) ?? [], cancelRequested: row["cancel_requested"] as Bool,
            created: Date(timeIntervalSince1970: row["created"]), updated: Date(timeIntervalSince1970: row["updated"]))
    }

    private static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    private static func decode<T: Decodable>(_ text: String) -> T? {
        try? JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
