import Documents
import Foundation

/// A `parse` run: every planned input converted and its outputs written atomically, several files at once when
/// asked; a file that fails is reported and the others go on.
public struct DocumentBatch: Sendable {
    public let plan: ParsePlan
    public var conversion: DocumentConversion

    public struct Failure: Sendable {
        public var input: String
        /// Names the file and the problem (never document content).
        public var message: String
    }

    public struct Report: Sendable {
        public var succeeded = 0
        public var pages = 0
        public var failures: [Failure] = []
    }

    /// - Throws: ``InputError`` for inputs that do not exist or a section table that cannot be read.
    public init(inputs: [String], outputFolder: String, formats: [DocumentFormat], sectionTable: String? = nil,
                fhirIdentifiers: Bool = false, readers: DocumentReaders) throws {
        plan = try ParsePlan(inputs: inputs, outputFolder: outputFolder)
        var sections = SectionMapping.standard
        if let sectionTable {
            guard let text = try? String(contentsOfFile: sectionTable, encoding: .utf8) else {
                throw InputError(.unreadable, "\(sectionTable): cannot read the section table (UTF-8 text expected).")
            }
            sections.add(tsv: text)
        }
        conversion = DocumentConversion(readers: readers, formats: formats, sections: sections,
                                        fhir: FHIRExporter(includePatientIdentifiers: fhirIdentifiers))
    }

    /// Converts every input, at most `jobs` at a time, calling `progress` with the number done so far.
    public func run(jobs: Int, progress: @Sendable (Int) -> Void = { _ in }) async -> Report {
        var report = Report()
        let items = plan.items
        let results = await BoundedWork.map(count: items.count, jobs: jobs, progress: progress) { self.convert(items[$0]) }
        for result in results {
            switch result {
            case .success(let pages):
                report.succeeded += 1
                report.pages += pages
            case .failure(let failure):
                report.failures.append(failure)
            }
        }
        report.failures.sort { $0.input < $1.input }
        return report
    }

    /// Converts one item; returns its page count.
    func convert(_ item: ParsePlan.Item) -> Result<Int, Failure> {
        do {
            let parsed = try conversion.parse(item.input, displayName: item.input)
            let baseName = (item.outputBase as NSString).lastPathComponent
            for output in try conversion.render(parsed, baseName: baseName) {
                try AtomicFile.write(output.data, to: item.outputBase + output.suffix)
            }
            return .success(parsed.document.pages.count)
        } catch {
            return .failure(Failure(input: item.input, message: "\(error)"))
        }
    }
}

extension DocumentBatch.Failure: Error {}
