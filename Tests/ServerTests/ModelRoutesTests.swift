import Crypto
import Foundation
import Inference
import Service
import Testing
import TestSupport
import Workflows

/// The model list, signed bundles and the diagnosis lookup on a running server with a model trained beforehand.
@Suite("Model routes", .serialized)
struct ModelRoutesTests {
    /// Trains `cells` (RBC vs WBC, 10 dev crops each) into a data folder before its server starts; again, a new version.
    static func trainCells(into data: URL) throws {
        let cells = Fixtures.shared.appendingPathComponent("corpora/images-dev/bccd-cells")
        let dataset = data.deletingLastPathComponent().appendingPathComponent("cells")
        for cellClass in ["RBC", "WBC"] where !FileManager.default.fileExists(atPath: dataset.appendingPathComponent(cellClass).path) {
            try FileManager.default.createDirectory(at: dataset.appendingPathComponent(cellClass), withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: cells.appendingPathComponent(cellClass).path).sorted().prefix(10) {
                try FileManager.default.copyItem(at: cells.appendingPathComponent("\(cellClass)/\(file)"), to: dataset.appendingPathComponent("\(cellClass)/\(file)"))
            }
        }
        let train = ExternalCommand.run(Fixtures.medlocalBinary, ["models", "train", dataset.path, "--name", "cells", "--data-dir", data.path])
        #expect(train.status == 0, "\(train.errors)")
    }

    @Test func aClientListsModelsDownloadsAVerifiableBundleAndLooksUpLabelsWithoutSendingImages() async throws {
        let server = try await TestServer.start { _, data, _ in try Self.trainCells(into: data) }
        do {
            #expect(try await server.request("GET", "/api/v1/models").status == 401)
            let list = try await server.request("GET", "/api/v1/models", role: .operator)
            #expect(list.status == 200)
            let models = try #require(list.json["models"] as? [[String: Any]])
            #expect(models.first?["name"] as? String == "cells")
            let versions = try #require(models.first?["versions"] as? [[String: Any]])
            #expect(versions.first?["version"] as? Int == 1 && (versions.first?["classes"] as? [String]) == ["RBC", "WBC"])

            let key = try await server.request("GET", "/api/v1/models/signing-key", role: .operator).json
            #expect((key["public_key"] as? String)?.count == 64)

            let bundle = try await server.request("GET", "/api/v1/models/cells/1/bundle", role: .operator)
            #expect(bundle.status == 200 && bundle.headers["content-type"] == "application/zip")
            let file = server.folder.appendingPathComponent("downloaded.bundle")
            try bundle.body.write(to: file)
            let verify = ExternalCommand.run(Fixtures.medlocalBinary, ["models", "verify", file.path, "--key-file", server.data.appendingPathComponent("key").path])
            #expect(verify.status == 0 && verify.output.contains("valid: cells@1"), "\(verify.errors)")
            #expect(try await server.request("GET", "/api/v1/models/cells/9/bundle", role: .operator).status == 404)
            #expect(try await server.request("GET", "/api/v1/models/..%2Fkey/1/bundle", role: .operator).status == 404)

            let mapped = try await server.request("POST", "/api/v1/diagnosis/lookup", role: .operator,
                                                  json: ["model": "pneumonia", "version": 1, "label": "pneumonia", "probability": 0.93])
            #expect(mapped.status == 200)
            #expect((mapped.json["disease"] as? [String: Any])?["code"] as? String == "J18.9")
            #expect((mapped.json["disclaimer"] as? String)?.contains("not a diagnosis") == true)
            let unmapped = try await server.request("POST", "/api/v1/diagnosis/lookup", role: .operator, json: ["model": "cells", "label": "RBC"])
            #expect(unmapped.status == 200 && (unmapped.json["message"] as? String)?.contains("no knowledge base entry") == true)
            // Server-side inference (the browser's diagnosis page): a WBC crop it has not seen comes back as WBC.
            let wbc = Fixtures.shared.appendingPathComponent("corpora/images-dev/bccd-cells/WBC")
            let unseen = try FileManager.default.contentsOfDirectory(atPath: wbc.path).sorted()[40]
            let classified = try await server.request("POST", "/api/v1/models/cells/classify", role: .operator,
                                                      body: Data(contentsOf: wbc.appendingPathComponent(unseen)), headers: ["Content-Type": "image/jpeg"])
            #expect(classified.status == 200, "\(classified.text)")
            #expect((classified.json["prediction"] as? [String: Any])?["label"] as? String == "WBC")
            #expect(try await server.request("POST", "/api/v1/models/cells/classify", role: .operator, body: Data("%PDF-1.7".utf8)).status == 422)
            #expect(try await server.request("POST", "/api/v1/models/none/classify", role: .operator, body: Data([1])).status == 404)
            // Promotion: admins only, audited; the alias then names the version everywhere.
            #expect(try await server.request("PUT", "/api/v1/models/cells/aliases/production", role: .operator, json: ["version": 1]).status == 403)
            #expect(try await server.request("PUT", "/api/v1/models/cells/aliases/production", role: .admin, json: ["version": 7]).status == 404)
            #expect(try await server.request("PUT", "/api/v1/models/cells/aliases/Prod!", role: .admin, json: ["version": 1]).status == 422)
            let promoted = try await server.request("PUT", "/api/v1/models/cells/aliases/production", role: .admin, json: ["version": 1])
            #expect(promoted.status == 200, "\(promoted.text)")
            let aliased = try await server.request("GET", "/api/v1/models", role: .operator).json["models"] as? [[String: Any]]
            #expect((aliased?.first?["aliases"] as? [String: Int]) == ["production": 1])
            let byAlias = try await server.request("POST", "/api/v1/models/cells/classify?version=production", role: .operator,
                                                   body: Data(contentsOf: wbc.appendingPathComponent(unseen)))
            #expect((byAlias.json["version"] as? Int) == 1)
            let records = try await server.request("GET", "/api/v1/audit/records?limit=100", role: .auditor).text
            #expect(records.contains("model.promote"))

            // The knowledge base through the API: anyone reads it, admins edit it (checked first, audited).
            let kb = try await server.request("GET", "/api/v1/kb", role: .operator)
            #expect(kb.status == 200 && kb.text.contains("J18.9"))
            let cellsKB = "version: 1\ndiseases:\n  - {code: D72.8, name_en: White cell disorder, name_zh: 白细胞疾患, description: d, treatment: t, urgency: soon, source: s}\nmappings:\n  - {model: cells, label: WBC, code: D72.8}\n"
            #expect(try await server.request("POST", "/api/v1/kb", role: .operator, body: Data(cellsKB.utf8)).status == 403)
            #expect(try await server.request("POST", "/api/v1/kb", role: .admin, body: Data("version: 1\ndiseases: [{code: X}]\nmappings: []\n".utf8)).status == 422)
            let edited = try await server.request("POST", "/api/v1/kb", role: .admin, body: Data(cellsKB.utf8), headers: ["Content-Type": "application/yaml"])
            #expect(edited.status == 200, "\(edited.text)")
            let nowMapped = try await server.request("POST", "/api/v1/diagnosis/lookup", role: .operator, json: ["model": "cells", "label": "WBC"])
            #expect((nowMapped.json["disease"] as? [String: Any])?["code"] as? String == "D72.8")
            #expect(try await server.request("GET", "/api/v1/audit/records?limit=100", role: .auditor).text.contains("kb.import"))

            // An image sent where a result belongs is refused unread.
            let picture = Data(repeating: 0x89, count: 64 << 10)
            let refused = try await server.request("POST", "/api/v1/diagnosis/lookup", role: .operator, body: picture, headers: ["Content-Type": "image/png"])
            #expect(refused.status == 413 || refused.status == 400)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func anAdminDeprecatesThenDeletesAVersionThatNoAliasServes() async throws {
        let server = try await TestServer.start { _, data, _ in
            try Self.trainCells(into: data)
            try Self.trainCells(into: data)   // version 2, on the cached features
        }
        do {
            let reason = ["reason": "trained on mislabelled crops"]
            #expect(try await server.request("POST", "/api/v1/models/cells/1/deprecate", role: .operator, json: reason).status == 403)
            #expect(try await server.request("POST", "/api/v1/models/cells/9/deprecate", role: .admin, json: reason).status == 404)
            #expect(try await server.request("POST", "/api/v1/models/cells/1/deprecate", role: .admin, json: ["reason": " "]).status == 422)
            #expect(try await server.request("PUT", "/api/v1/models/cells/aliases/production", role: .admin, json: ["version": 1]).status == 200)
            let aliased = try await server.request("POST", "/api/v1/models/cells/1/deprecate", role: .admin, json: reason)
            #expect(aliased.status == 409 && aliased.text.contains("production"))
            #expect(try await server.request("PUT", "/api/v1/models/cells/aliases/production", role: .admin, json: ["version": 2]).status == 200)
            #expect(try await server.request("POST", "/api/v1/models/cells/1/deprecate", role: .admin, json: reason).status == 200)

            let versions = try #require((try await server.request("GET", "/api/v1/models", role: .operator).json["models"] as? [[String: Any]])?.first?["versions"] as? [[String: Any]])
            #expect(versions.first { $0["version"] as? Int == 1 }?["deprecated"] as? String == "trained on mislabelled crops")
            #expect(versions.first { $0["version"] as? Int == 2 }?["deprecated"] == nil)
            #expect(try await server.request("PUT", "/api/v1/models/cells/aliases/candidate", role: .admin, json: ["version": 1]).status == 422)
            let wbc = Fixtures.shared.appendingPathComponent("corpora/images-dev/bccd-cells/WBC")
            let image = try Data(contentsOf: wbc.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: wbc.path).sorted()[40]))
            let named = try await server.request("POST", "/api/v1/models/cells/classify?version=1", role: .operator, body: image)
            #expect(named.status == 200 && named.json["deprecated"] as? String == "trained on mislabelled crops")

            #expect(try await server.request("DELETE", "/api/v1/models/cells/2", role: .admin).status == 409)   // not deprecated
            #expect(try await server.request("DELETE", "/api/v1/models/cells/1", role: .operator).status == 403)
            #expect(try await server.request("DELETE", "/api/v1/models/cells/1", role: .admin).status == 204)
            let left = (try await server.request("GET", "/api/v1/models", role: .operator).json["models"] as? [[String: Any]])?.first?["versions"] as? [[String: Any]]
            #expect(left?.compactMap { $0["version"] as? Int } == [2])
            #expect(try await server.request("GET", "/api/v1/models/cells/1/bundle", role: .operator).status == 404)
            #expect(try await server.request("POST", "/api/v1/models/cells/classify?version=1", role: .operator, body: image).status == 404)
            let records = try await server.request("GET", "/api/v1/audit/records?limit=100", role: .auditor).text
            #expect(records.contains("model.deprecate") && records.contains("model.delete"))
            #expect(!records.contains("mislabelled"))   // the reason is digested like any input, never stored
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func anAdminTrainsAModelFromAZipAsAJobAndAnOperatorMayNot() async throws {
        let server = try await TestServer.start()
        do {
            let cells = Fixtures.shared.appendingPathComponent("corpora/images-dev/bccd-cells")
            let dataset = server.folder.appendingPathComponent("dataset/cells")
            for cellClass in ["Platelets", "WBC"] {
                try FileManager.default.createDirectory(at: dataset.appendingPathComponent(cellClass), withIntermediateDirectories: true)
                for file in try FileManager.default.contentsOfDirectory(atPath: cells.appendingPathComponent(cellClass).path).sorted().prefix(10) {
                    try FileManager.default.copyItem(at: cells.appendingPathComponent("\(cellClass)/\(file)"), to: dataset.appendingPathComponent("\(cellClass)/\(file)"))
                }
            }
            let zip = server.folder.appendingPathComponent("cells.zip")
            let packed = ExternalCommand.run("/usr/bin/env", ["python3", "-c", "import shutil, sys; shutil.make_archive(sys.argv[1][:-4], 'zip', sys.argv[2], 'cells')",
                                                              zip.path, dataset.deletingLastPathComponent().path])
            #expect(packed.status == 0, "\(packed.errors)")
            let body = try Data(contentsOf: zip)
            #expect(try await server.request("POST", "/api/v1/models/train?name=smear", role: .operator, body: body, headers: ["X-Filename": "cells.zip"]).status == 403)
            #expect(try await server.request("POST", "/api/v1/models/train?name=..", role: .admin, body: body, headers: ["X-Filename": "cells.zip"]).status == 422)
            #expect(try await server.request("POST", "/api/v1/models/train?name=smear", role: .admin, body: Data("not a zip".utf8),
                                             headers: ["X-Filename": "cells.txt"]).status == 422)
            let queued = try await server.request("POST", "/api/v1/models/train?name=smear", role: .admin, body: body, headers: ["X-Filename": "cells.zip"])
            #expect(queued.status == 202, "\(queued.text)")
            let id = try #require(queued.json["id"] as? String)
            let job = try await server.waitForJob(id, role: .admin)
            #expect(job["state"] as? String == "succeeded", "\(job)")
            #expect((job["outputs"] as? [String]) == ["model.json"])
            let card = try await server.request("GET", "/api/v1/jobs/\(id)/model.json", role: .admin).json
            #expect(card["name"] as? String == "smear" && card["version"] as? Int == 1)
            #expect((card["classes"] as? [String]) == ["Platelets", "WBC"])
            let models = try await server.request("GET", "/api/v1/models", role: .operator).json["models"] as? [[String: Any]]
            #expect(models?.contains { $0["name"] as? String == "smear" } == true)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

extension ModelRoutesTests {
    @Test func anAdminUploadsAnExternallyTrainedClassifierThatServesAndBundlesLikeATrainedOne() async throws {
        let server = try await TestServer.start()
        do {
            let fixtures = Fixtures.repositoryRoot.appendingPathComponent("Tests/CLITests/Fixtures")
            let model = try Data(contentsOf: fixtures.appendingPathComponent("colour-logits.onnx"))
            let upload = { (role: Role, fields: [String: String]) async throws -> TestServer.Reply in
                let form = TestServer.form(file: model, filename: "colour-logits.onnx", fields: fields)
                return try await server.request("POST", "/api/v1/models", role: role, body: form.body, headers: ["Content-Type": form.contentType])
            }
            #expect(try await upload(.operator, ["name": "colours", "labels": "red\ngreen\nblue"]).status == 403)
            let mismatch = try await upload(.admin, ["name": "colours", "labels": "red\ngreen"])
            #expect(mismatch.status == 422 && mismatch.text.contains("no output has one score per label"), "\(mismatch.text)")
            #expect(try await upload(.admin, ["labels": "red\ngreen\nblue"]).status == 422)
            let created = try await upload(.admin, ["name": "colours", "labels": "red\ngreen\nblue\n", "normalization": "imagenet"])
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["version"] as? Int == 1 && created.json["format"] as? String == "medlocal-onnx-classifier/1")
            #expect(created.headers["location"] == "/api/v1/models/colours/1/bundle")

            let versions = (try await server.request("GET", "/api/v1/models", role: .operator).json["models"] as? [[String: Any]])?
                .first { $0["name"] as? String == "colours" }?["versions"] as? [[String: Any]]
            #expect(versions?.first?["source"] as? String == "uploaded" && versions?.first?["accuracy"] == nil)

            let classified = try await server.request("POST", "/api/v1/models/colours/classify", role: .operator, body: TestImages.bmp((30, 190, 60)))
            #expect(classified.status == 200 && (classified.json["prediction"] as? [String: Any])?["label"] as? String == "green", "\(classified.text)")

            // The bundle verifies with the server's key and carries the uploaded network itself.
            let bundle = try await server.request("GET", "/api/v1/models/colours/1/bundle", role: .operator)
            #expect(bundle.status == 200)
            let path = server.folder.appendingPathComponent("colours.bundle")
            try bundle.body.write(to: path)
            let hex = try #require(try await server.request("GET", "/api/v1/models/signing-key", role: .operator).json["public_key"] as? String)
            let keyBytes = stride(from: 0, to: hex.count, by: 2).map { UInt8(hex.dropFirst($0).prefix(2), radix: 16)! }
            let contents = try ModelBundle.read(path.path, trustedKey: Curve25519.Signing.PublicKey(rawRepresentation: keyBytes))
            #expect(contents.backbone == model && contents.manifest.output?.name == "logits")

            // A client downloads, verifies, caches and runs it like any bundle.
            let image = server.folder.appendingPathComponent("green.bmp")
            try TestImages.bmp((40, 180, 70)).write(to: image)
            let client = ExternalCommand.run(Fixtures.medlocalBinary, [
                "client", "classify", image.path, "--model", "colours", "--server", server.base.absoluteString,
                "--api-key", try #require(server.keys[.operator]), "--cache", server.folder.appendingPathComponent("client-cache").path])
            #expect(client.status == 0 && client.output.contains(": green (p = ") && client.output.contains("colours@1"), "\(client.errors)")

            let records = try await server.request("GET", "/api/v1/audit/records?limit=100", role: .auditor).text
            #expect(records.contains("model.upload"))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
