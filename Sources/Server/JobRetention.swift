import Foundation
import Logging
import Service
import ServiceLifecycle

/// Retention: finished jobs older than the retention period are removed with their upload and outputs, hourly
/// and at start. Uploads hold PHI; a hospital keeps them no longer than it must.
struct JobRetention: Service {
    let jobs: any JobStore
    let files: JobFiles
    let days: Int
    let logger: Logger
    var interval: Duration = .seconds(3600)

    /// Removes what has expired; returns how many jobs.
    @discardableResult
    func purge(now: Date = Date()) throws -> Int {
        let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
        var removed = 0
        while true {
            let expired = try jobs.finishedJobs(updatedBefore: cutoff, limit: 500)
            if expired.isEmpty { break }
            for id in expired {
                try jobs.delete(id: id)
                files.remove(id)
                removed += 1
            }
        }
        return removed
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let removed = try purge()
                if removed > 0 { logger.info("retention removed jobs", metadata: ["jobs.count": "\(removed)", "retention.days": "\(days)"]) }
            } catch {
                logger.error("retention could not run", metadata: ["error.type": "\(type(of: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
