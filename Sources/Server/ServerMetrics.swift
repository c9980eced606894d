import Foundation
import Service
import Synchronization

/// Counters for `/metrics`, in Prometheus' text format. They count — requests by status, findings by type, pages
/// and documents processed — and never hold a value, a name or a file name.
public final class ServerMetrics: Sendable {
    private struct Counts {
        var requests: [Int: Int] = [:]
        var findings: [String: Int] = [:]
        var blocked = 0
        var pages = 0
        var documents = 0
        var dicomFiles = 0
    }

    private let counts = Mutex(Counts())

    public init() {}

    func countRequest(status: Int) { counts.withLock { $0.requests[status, default: 0] += 1 } }

    func countFindings(_ types: some Sequence<String>, blocked: Bool = false) {
        counts.withLock { counts in
            for type in types { counts.findings[type, default: 0] += 1 }
            if blocked { counts.blocked += 1 }
        }
    }

    func countDocument(pages: Int) { counts.withLock { $0.documents += 1; $0.pages += pages } }

    func countDICOM(files: Int) { counts.withLock { $0.dicomFiles += files } }

    /// The exposition text, with the queue's current job counts.
    func render(jobs: [JobState: Int]) -> String {
        let counts = counts.withLock { $0 }
        var text = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Int)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { text += "\(name)\(sample.labels) \(sample.value)\n" }
        }
        family("medlocal_jobs", "gauge", "Jobs in the queue by state.",
               JobState.allCases.map { ("{state=\"\($0.rawValue)\"}", jobs[$0] ?? 0) })
        family("medlocal_http_requests_total", "counter", "HTTP requests answered, by status code.",
               counts.requests.sorted { $0.key < $1.key }.map { ("{status=\"\($0.key)\"}", $0.value) })
        family("medlocal_findings_total", "counter", "PHI findings reported, by entity type.",
               counts.findings.sorted { $0.key < $1.key }.map { ("{type=\"\($0.key)\"}", $0.value) })
        family("medlocal_policy_blocks_total", "counter", "Items a policy blocked.", [("", counts.blocked)])
        family("medlocal_documents_processed_total", "counter", "Documents converted by jobs.", [("", counts.documents)])
        family("medlocal_pages_processed_total", "counter", "Pages of documents converted by jobs.", [("", counts.pages)])
        family("medlocal_dicom_files_deidentified_total", "counter", "DICOM files de-identified by jobs.", [("", counts.dicomFiles)])
        return text
    }
}
