import Anonymization
import Foundation
import InMemoryLogging
import Logging
import Testing
import Workflows

@Suite("PHI canaries")
struct CanaryTests {
    static let canaryName = "郗晓燕"
    static let canaryID = "11010519491231002X"
    static let text = "患者姓名：\(canaryName)\n身份证号：\(canaryID)\nPatient Name: Zebulon Quartermaine\n"

    @Test("No input text reaches the logs, even at trace level")
    func logsCarryNoPHI() throws {
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "test", factory: { _ in handler })
        logger.logLevel = .trace
        let scan = TextScan(logger: logger)
        let workflow = TextDeidentification(scan: scan, plan: OperatorPlan(fallback: .hash))
        var table = PseudonymTable()
        let result = try workflow.deidentify(Self.text, key: ProjectKey.generate(), pseudonyms: &table)
        #expect(result.findings.count >= 3)
        #expect(!handler.entries.isEmpty, "the workflow should log something to check")
        for entry in handler.entries {
            let rendered = "\(entry.message) \(entry.metadata)"
            for canary in [Self.canaryName, Self.canaryID, "Zebulon", "Quartermaine"] {
                #expect(!rendered.contains(canary), "log entry leaks a canary")
            }
        }
        for canary in [Self.canaryName, Self.canaryID, "Zebulon"] { #expect(!result.output.text.contains(canary)) }
    }

    @Test("Errors about bad input name the file, never the text")
    func errorsCarryNoPHI() {
        var bytes = Array(Self.text.utf8)
        bytes.append(0xFF)
        bytes.append(0x00)
        do {
            _ = try TextDecoding.decode(Data(bytes), source: "canary.txt")
            Issue.record("expected an error")
        } catch {
            let message = "\(error)"
            #expect(message.contains("canary.txt"))
            for canary in [Self.canaryName, Self.canaryID, "Zebulon"] { #expect(!message.contains(canary)) }
        }
    }
}
