import Foundation
import Testing
import TestSupport

/// `medlocal models train | evaluate | list` on a small slice of the dev blood-cell crops (real images).
@Suite("medlocal models", .serialized)
struct ModelsCommandTests {
    static let cells = Fixtures.shared.appendingPathComponent("corpora/images-dev/bccd-cells")

    /// `count` images per class copied from the dev cells, skipping the first `skip`, plus whatever `extra` adds.
    func dataset(in folder: URL, named name: String, count: Int, skip: Int = 0) throws -> URL {
        let root = folder.appendingPathComponent(name)
        for cellClass in ["Platelets", "RBC", "WBC"] {
            let source = Self.cells.appendingPathComponent(cellClass)
            let files = try FileManager.default.contentsOfDirectory(atPath: source.path).sorted().dropFirst(skip).prefix(count)
            try FileManager.default.createDirectory(at: root.appendingPathComponent(cellClass), withIntermediateDirectories: true)
            for file in files {
                try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: root.appendingPathComponent("\(cellClass)/\(file)"))
            }
        }
        return root
    }

    @Test("Training cleans the dataset, saves a version with its card, and evaluate scores it on other images")
    func trainEvaluateList() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let training = try dataset(in: folder, named: "train", count: 14)
        // Litter a real folder has: a non-image, a truncated JPEG, an exact copy.
        try Data("not an image".utf8).write(to: training.appendingPathComponent("RBC/notes.txt"))
        let someWBC = try FileManager.default.contentsOfDirectory(atPath: training.appendingPathComponent("WBC").path).sorted()[0]
        let bytes = try Data(contentsOf: training.appendingPathComponent("WBC/\(someWBC)"))
        try bytes.prefix(200).write(to: training.appendingPathComponent("WBC/truncated.jpg"))
        try bytes.write(to: training.appendingPathComponent("WBC/copy.jpg"))

        let train = try Run(["models", "train", training.path, "--name", "cells", "--data-dir", folder.appendingPathComponent("var").path], in: folder)
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("removed RBC/notes.txt: unreadable"))
        #expect(train.stdout.contains("removed WBC/truncated.jpg: unreadable"))
        #expect(train.stdout.contains("removed WBC/copy.jpg: duplicate"))
        #expect(train.stdout.contains("cells@1  base efficientnet-lite0  classes: Platelets 14, RBC 14, WBC 14"))
        #expect(train.stdout.contains("raw-pixel baseline, same images"))
        #expect(train.stdout.contains("5-fold cross-validation (42 images)"))
        let manifestURL = folder.appendingPathComponent("var/models/cells/1/manifest.json")
        let manifest = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
        #expect(manifest["base"] as? String == "efficientnet-lite0")
        #expect((manifest["classes"] as? [String]) == ["Platelets", "RBC", "WBC"])
        let card = try #require(manifest["card"] as? [String: Any])
        #expect((card["removed_images"] as? [String: Int]) == ["unreadable": 2, "duplicate": 1])
        #expect(card["dataset_sha256"] as? String != nil && card["validation"] as? [String: Any] != nil)

        let held = try dataset(in: folder, named: "held-out", count: 10, skip: 14)
        let evaluate = try Run(["models", "evaluate", "cells@1", held.path, "--json", "--data-dir", folder.appendingPathComponent("var").path], in: folder)
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        let metrics = try #require(JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any])
        for key in ["accuracy", "macro_f1", "auc", "per_class", "confusion"] { #expect(metrics[key] != nil, "missing \(key)") }
        // The cell types are easy: even 42 training images tell them apart on 30 unseen ones.
        #expect(try #require(metrics["accuracy"] as? Double) >= 0.85)
        #expect((metrics["confusion"] as? [[Int]])?.flatMap { $0 }.reduce(0, +) == 30)

        // The same images as a ZIP of their folder: expanded with the archive limits, scored the same.
        let zipped = folder.appendingPathComponent("held-out.zip")
        let zip = Process()
        zip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        zip.arguments = ["python3", "-c", "import shutil, sys; shutil.make_archive(sys.argv[1][:-4], 'zip', sys.argv[2], 'held-out')", zipped.path, folder.path]
        try zip.run()
        zip.waitUntilExit()
        let fromZip = try Run(["models", "evaluate", "cells@1", zipped.path, "--json", "--data-dir", "var"], in: folder)
        let zipMetrics = try #require(JSONSerialization.jsonObject(with: Data(fromZip.stdout.utf8)) as? [String: Any], "\(fromZip.stderr)")
        #expect(zipMetrics["accuracy"] as? Double == metrics["accuracy"] as? Double)

        let someHeldWBC = try FileManager.default.contentsOfDirectory(atPath: held.appendingPathComponent("WBC").path).sorted()[0]
        let classify = try Run(["models", "classify", "cells", held.appendingPathComponent("WBC/\(someHeldWBC)").path, "--data-dir", "var"], in: folder)
        #expect(classify.status == 0 && classify.stdout.contains(": WBC (p = "), "\(classify.stdout)\(classify.stderr)")
        #expect(classify.stdout.contains("no knowledge base entry") && classify.stdout.contains("not a diagnosis"))

        let promote = try Run(["models", "promote", "cells@1", "--alias", "production", "--data-dir", "var"], in: folder)
        #expect(promote.status == 0 && promote.stdout.contains("cells@production → cells@1"), "\(promote.stderr)")
        let byAlias = try Run(["models", "evaluate", "cells@production", held.path, "--json", "--data-dir", "var"], in: folder)
        #expect(byAlias.status == 0, "\(byAlias.stderr)")
        #expect(try Run(["models", "evaluate", "cells@staging", held.path, "--data-dir", "var"], in: folder).stderr.contains("no version or alias staging"))

        let list = try Run(["models", "list", "--data-dir", folder.appendingPathComponent("var").path], in: folder)
        #expect(list.stdout.contains("cells@1") && list.stdout.contains("aliases: production → 1"))

        #expect(try Run(["keygen", "-o", "var/key"], in: folder).status == 0)
        let export = try Run(["models", "export", "cells", "-o", "cells.bundle", "--data-dir", "var", "--key-file", "var/key"], in: folder)
        #expect(export.status == 0, "\(export.stderr)")
        let verify = try Run(["models", "verify", "cells.bundle", "--key-file", "var/key"], in: folder)
        #expect(verify.status == 0 && verify.stdout.contains("valid: cells@1"))
        #expect(try Run(["keygen", "-o", "other.key"], in: folder).status == 0)
        let stranger = try Run(["models", "verify", "cells.bundle", "--key-file", "other.key"], in: folder)
        #expect(stranger.status == 4 && stranger.stderr.contains("another key"))
    }

    @Test("The same images and seed train the same head bit for bit; another seed trains another")
    func trainingRepeatsForASeed() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("var").path
        let training = try dataset(in: folder, named: "train", count: 10)
        for seed in ["7", "7", "8"] {
            let run = try Run(["models", "train", training.path, "--name", "cells", "--seed", seed, "--data-dir", data], in: folder)
            #expect(run.status == 0, "\(run.stderr)")
        }
        let heads = try (1...3).map { try Data(contentsOf: folder.appendingPathComponent("var/models/cells/\($0)/head.json")) }
        #expect(heads[0] == heads[1])
        #expect(heads[0] != heads[2])
        // The head carries the pixel kernel model unless told not to.
        #expect(String(decoding: heads[0], as: UTF8.self).contains("supportPixels"))
        #expect(try Run(["models", "train", training.path, "--name", "plain", "--no-pixel-kernel", "--data-dir", data], in: folder).status == 0)
        let plain = try String(contentsOf: folder.appendingPathComponent("var/models/plain/1/head.json"), encoding: .utf8)
        #expect(!plain.contains("supportPixels"))
    }

    @Test("A model whose head was altered, a missing version and a foreign class folder are refused with a reason")
    func refusals() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("var").path
        let training = try dataset(in: folder, named: "train", count: 10)
        #expect(try Run(["models", "train", training.path, "--name", "cells", "--data-dir", data], in: folder).status == 0)

        let missing = try Run(["models", "evaluate", "cells@9", training.path, "--data-dir", data], in: folder)
        #expect(missing.status == 1 && missing.stderr.contains("no version 9"))
        let foreign = folder.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign.appendingPathComponent("Neutrophil"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: training.appendingPathComponent("WBC"), to: foreign.appendingPathComponent("WBC"))
        let other = try Run(["models", "evaluate", "cells", foreign.path, "--data-dir", data], in: folder)
        #expect(other.status == 1 && other.stderr.contains("Neutrophil"))

        let head = folder.appendingPathComponent("var/models/cells/1/head.json")
        var text = try String(contentsOf: head, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"bias\" : [\n    ", with: "\"bias\" : [\n    1")
        try text.write(to: head, atomically: true, encoding: .utf8)
        let altered = try Run(["models", "evaluate", "cells", training.path, "--data-dir", data], in: folder)
        #expect(altered.status == 1 && altered.stderr.contains("does not match"))

        let tooFew = try dataset(in: folder, named: "tiny", count: 4)
        let refused = try Run(["models", "train", tooFew.path, "--name", "tiny", "--data-dir", data], in: folder)
        #expect(refused.status == 1 && refused.stderr.contains("usable image(s)"))
    }

    @Test("A deprecated version drops out of the bare name and shows its reason; only then can it be deleted")
    func deprecateAndDelete() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("var").path
        let training = try dataset(in: folder, named: "train", count: 10)
        for _ in 0..<2 { #expect(try Run(["models", "train", training.path, "--name", "cells", "--data-dir", data], in: folder).status == 0) }
        let early = try Run(["models", "delete", "cells@2", "--data-dir", data], in: folder)
        #expect(early.status == 1 && early.stderr.contains("deprecate it first"))
        #expect(try Run(["models", "deprecate", "cells@2", "--reason", "wrong crop size", "--data-dir", data], in: folder).status == 0)
        let list = try Run(["models", "list", "--data-dir", data], in: folder)
        #expect(list.stdout.contains("[deprecated: wrong crop size]"))
        let image = Self.cells.appendingPathComponent("WBC").appendingPathComponent(
            try FileManager.default.contentsOfDirectory(atPath: Self.cells.appendingPathComponent("WBC").path).sorted()[30]).path
        let bare = try Run(["models", "classify", "cells", image, "--json", "--data-dir", data], in: folder)
        #expect(bare.stdout.contains(#""version" : 1"#) && !bare.stderr.contains("deprecated"), "\(bare.stdout)")
        let named = try Run(["models", "classify", "cells@2", image, "--data-dir", data], in: folder)
        #expect(named.status == 0 && named.stderr.contains("cells@2 is deprecated (wrong crop size)"))
        #expect(try Run(["models", "delete", "cells@2", "--data-dir", data], in: folder).status == 0)
        #expect(!(try Run(["models", "list", "--data-dir", data], in: folder).stdout.contains("cells@2")))
    }
}
