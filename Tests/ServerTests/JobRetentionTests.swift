import Foundation
import Logging
@testable import Server
import Service
import Testing
import Workflows

@Suite struct JobRetentionTests {
    @Test func finishedJobsPastTheRetentionPeriodGoWithTheirFilesAndUnfinishedOnesStay() throws {
        let (folder, stores, _) = try TestServer.prepare()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = JobFiles(dataDirectory: folder.appendingPathComponent("var").path)
        for id in ["finished", "failed", "waiting"] {
            try FileManager.default.createDirectory(atPath: files.outputs(id), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: URL(fileURLWithPath: files.output(id, "result.md")))
            try stores.jobs.enqueue(Job(id: id, kind: .document, owner: 1, inputName: "\(id).pdf"))
        }
        for outcome in ["finished", "failed"] {
            let job = try #require(try stores.jobs.claim(worker: "w", lease: 60, maxAttempts: 3))
            if outcome == "finished" { try stores.jobs.succeed(id: job.id, worker: "w", outputs: ["result.md"]) }
            else { try stores.jobs.fail(id: job.id, worker: "w", reason: "bad input", retry: false, maxAttempts: 3) }
        }
        let retention = JobRetention(jobs: stores.jobs, files: files, days: 30, logger: Logger(label: "test"))
        #expect(try retention.purge() == 0)   // nothing is 30 days old yet
        #expect(try retention.purge(now: Date().addingTimeInterval(31 * 86_400)) == 2)
        #expect(try stores.jobs.job(id: "finished") == nil && stores.jobs.job(id: "failed") == nil)
        #expect(try stores.jobs.job(id: "waiting")?.state == .queued)
        #expect(!FileManager.default.fileExists(atPath: files.folder("finished")))
        #expect(FileManager.default.fileExists(atPath: files.folder("waiting")))
    }
}
