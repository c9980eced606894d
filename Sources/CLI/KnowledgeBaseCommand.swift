import ArgumentParser
import Foundation
import Inference
import Workflows

/// `medlocal kb`: the disease knowledge base classifier labels map to.
struct KnowledgeBaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Import, export and look up the disease knowledge base (ICD-10 diseases, advice, per-model label mappings).",
        subcommands: [KnowledgeBaseImportCommand.self, KnowledgeBaseExportCommand.self, KnowledgeBaseLookupCommand.self]
    )
}

struct KnowledgeBaseImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Add or replace diseases and label mappings from a YAML file (checked first; nothing is written on an error).")

    @Argument(help: "A YAML file in the format `kb export` writes.") var file: String
    @OptionGroup var data: ModelDataOptions

    func run() throws {
        let (diseases, mappings) = try Failure.guardingValue { try KnowledgeBaseWorkflow(dataDirectory: data.folder).importFile(file) }
        print("imported \(diseases) disease(s) and \(mappings) label mapping(s)")
    }
}

struct KnowledgeBaseExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Print the knowledge base as YAML.")

    @OptionGroup var data: ModelDataOptions

    func run() throws {
        print(try Failure.guardingValue { try KnowledgeBaseWorkflow(dataDirectory: data.folder).export().yaml() }, terminator: "")
    }
}

struct KnowledgeBaseLookupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lookup", abstract: "The advice for one model's label.")

    @Option(help: "The model's name.") var model: String
    @Option(help: "The label the model gave.") var label: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var data: ModelDataOptions

    func run() throws {
        let advice = try Failure.guardingValue { try KnowledgeBaseWorkflow(dataDirectory: data.folder).advice(model: model, label: label) }
        if json { return print(try ModelOutput.json(advice)) }
        print(AdviceText.render(advice))
    }
}

enum AdviceText {
    static func render(_ advice: DiagnosisAdvice) -> String {
        guard let disease = advice.disease else { return "\(advice.message)\n\(advice.disclaimer)" }
        return """
            \(disease.nameEn) / \(disease.nameZh) (ICD-10 \(disease.code)), urgency: \(disease.urgency.rawValue)
            \(disease.description)
            Advice: \(disease.treatment)
            Source: \(disease.source)
            \(advice.disclaimer)
            """
    }
}
