import ArgumentParser
import Foundation
import Inference
import Workflows

/// `medlocal client`: models from a MedLocal server, cached and run on this machine.
struct ClientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "Use a MedLocal server's image models from this machine: images are classified here, only results are sent.",
        subcommands: [ClientModelsCommand.self, ClientClassifyCommand.self]
    )
}

struct ClientOptions: ParsableArguments {
    @Option(help: "The MedLocal server, http://host:port (the hospital's own).") var server: String
    @Option(name: .customLong("api-key"), help: "An API key (default: $MEDLOCAL_API_KEY).") var apiKey: String?
    @Option(help: "The model cache (default: $XDG_CACHE_HOME/medlocal/models or ~/.cache/medlocal/models).") var cache: String?
    @Option(name: .customLong("cache-limit-mb"), help: "Least recently used bundles are evicted above this size.") var cacheLimit = 512

    var client: ModelClient {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        let folder = cache.map { URL(fileURLWithPath: $0) } ?? base.appendingPathComponent("medlocal/models")
        return ModelClient(server: server, apiKey: apiKey ?? environment["MEDLOCAL_API_KEY"], cache: folder, cacheLimitBytes: cacheLimit << 20)
    }
}

struct ClientModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "models", abstract: "The server's models, versions, aliases and scores.")

    @OptionGroup var options: ClientOptions

    func run() throws {
        let data = try Failure.guardingValue { try options.client.list() }
        let listing = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        for model in (listing?["models"] as? [[String: Any]]) ?? [] {
            let aliases = ((model["aliases"] as? [String: Int]) ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }
            print("\(model["name"] ?? "")\(aliases.isEmpty ? "" : "  (" + aliases.joined(separator: ", ") + ")")")
            for version in (model["versions"] as? [[String: Any]]) ?? [] {
                let accuracy = (version["accuracy"] as? Double).map { String(format: "%.4f", $0) } ?? "?"
                print("  @\(version["version"] ?? "")  classes: \(((version["classes"] as? [String]) ?? []).joined(separator: ", "))  validation accuracy \(accuracy)")
            }
        }
    }
}

struct ClientClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify images here with a server's model (cached, signature-checked); only the label goes back for advice.")

    @Argument(help: "Images: PNG, JPEG, BMP, TIFF or uncompressed DICOM.") var images: [String]
    @Option(help: "NAME, NAME@VERSION or NAME@ALIAS.") var model: String
    @Flag(help: "JSON lines, one per image.") var json = false
    @OptionGroup var options: ClientOptions

    func run() throws {
        let results = try Failure.guardingValue { try options.client.classify(images, model: model) }
        if let first = results.first, let reason = first.deprecated {
            FileHandle.standardError.write(Data("medlocal: warning: the server has deprecated \(first.model)@\(first.version) (\(reason))\n".utf8))
        }
        for result in results {
            if json {
                print(try ModelOutput.json(result).replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: "  ", with: ""))
                continue
            }
            print("\(result.file): \(result.prediction.label) (p = \(String(format: "%.3f", result.prediction.probability)), \(result.model)@\(result.version))")
            if let advice = result.advice {
                print(AdviceText.render(advice).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            } else {
                print("  advice unavailable: the server cannot be reached (the label above is from the cached model)")
                print("  \(DiagnosisAdvice.disclaimer)")
            }
        }
    }
}
