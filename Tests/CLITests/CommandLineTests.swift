import Foundation
import Testing
import TestSupport

/// Runs the real `medlocal` binary, as a user would.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String

    init(_ arguments: [String], stdin: String? = nil, in folder: URL, environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = Fixtures.medlocalBinary
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        stdout = String(decoding: o, as: UTF8.self)
        stderr = String(decoding: e, as: UTF8.self)
    }
}

@Suite("medlocal command line", .serialized)
struct CommandLineTests {
    private let scratch = ScratchFolder()
    var folder: URL { scratch.url }
    static let note = "患者姓名：欧阳建华  住院号：ZY20250318077\n联系电话：139-0731-2468\n入院日期：2025-03-18\n"


    @Test("scan prints a table without values unless asked")
    func scanTable() throws {
        let run = try Run(["scan", "-"], stdin: Self.note, in: folder)
        #expect(run.status == 0)
        #expect(run.stdout.contains("PERSON") && run.stdout.contains("MEDICAL_RECORD_NUMBER") && run.stdout.contains("PHONE_NUMBER"))
        #expect(!run.stdout.contains("欧阳建华"))
        let shown = try Run(["scan", "-", "--show-values"], stdin: Self.note, in: folder)
        #expect(shown.stdout.contains("欧阳建华"))
    }

    @Test("scan --input jsonl writes the lines phi-score reads")
    func scanJSONL() throws {
        let line = #"{"id":"n1","text":"患者姓名：欧阳建华\n"}"#
        let run = try Run(["scan", "--input", "jsonl", "-"], stdin: line + "\n", in: folder)
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["id"] as? String == "n1")
        let entities = try #require(object["entities"] as? [[String: Any]])
        #expect(entities.first?["type"] as? String == "PERSON")
        #expect(entities.first?["start"] as? Int == 5)
        #expect(entities.first?["end"] as? Int == 9)
    }

    @Test("keygen, redact with pseudonyms and date shift, then encrypt and restore round-trip")
    func redactAndRestore() throws {
        #expect(try Run(["keygen", "-o", "var/key"], in: folder).status == 0)
        let again = try Run(["keygen", "-o", "var/key"], in: folder)
        #expect(again.status == 1)
        #expect(again.stderr.contains("refusing to overwrite"))
        try Self.note.write(to: folder.appendingPathComponent("note.txt"), atomically: true, encoding: .utf8)
        let redacted = try Run(["redact", "note.txt", "--operator", "PERSON=pseudonymize", "--operator", "DATE=date-shift", "--operator", "default=mask"], in: folder)
        #expect(redacted.status == 0)
        #expect(!redacted.stdout.contains("欧阳建华") && !redacted.stdout.contains("ZY20250318077") && !redacted.stdout.contains("2025-03-18"))
        #expect(redacted.stdout.contains("住院号：*************"))
        let encrypted = try Run(["redact", "note.txt", "--operator", "default=encrypt", "-o", "enc.txt"], in: folder)
        #expect(encrypted.status == 0)
        let restored = try Run(["restore", "enc.txt"], in: folder)
        #expect(restored.stdout == Self.note)
        #expect(try String(contentsOf: folder.appendingPathComponent("note.txt"), encoding: .utf8) == Self.note, "input modified")
    }

    @Test("An operator that needs a key fails with exit code 1 and says to run keygen")
    func missingKey() throws {
        let run = try Run(["redact", "-", "--operator", "default=hash", "--key-file", "nokey"], stdin: Self.note, in: folder)
        #expect(run.status == 1)
        #expect(run.stderr.contains("medlocal keygen"))
    }

    @Test("Bad input exits 1 naming the file; a batch with a failed item exits 2 and lists it")
    func exitCodes() throws {
        let missing = try Run(["scan", "missing.txt"], in: folder)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("missing.txt"))
        try Data([0x00, 0xFF, 0xFE, 0x80]).write(to: folder.appendingPathComponent("binary.dat"))
        try Self.note.write(to: folder.appendingPathComponent("good.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("out"), withIntermediateDirectories: true)
        let batch = try Run(["redact", "good.txt", "binary.dat", "-o", "out"], in: folder)
        #expect(batch.status == 2)
        #expect(batch.stderr.contains("binary.dat"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/good.txt").path))
        let unknownType = try Run(["scan", "-", "--types", "NAME"], stdin: "x", in: folder)
        #expect(unknownType.status != 0)
        #expect(unknownType.stderr.contains("Unknown type"))
    }

    @Test("GB18030 files are decoded, not garbled")
    func gb18030File() throws {
        // 姓名：张军 in GB18030.
        let bytes: [UInt8] = [0xD0, 0xD5, 0xC3, 0xFB, 0xA3, 0xBA, 0xD5, 0xC5, 0xBE, 0xFC, 0x0A]
        try Data(bytes).write(to: folder.appendingPathComponent("gb.txt"))
        let run = try Run(["scan", "gb.txt", "--show-values"], in: folder)
        #expect(run.status == 0)
        #expect(run.stdout.contains("张军"))
    }

    @Test("scan --stream reads a file in bounded memory and finds exactly what a whole-file scan finds")
    func streaming() throws {
        let text = String(repeating: Self.note + "Name: Grant Kim\nGrant Kim is a 14-year-old.\n", count: 400)
        try text.write(to: folder.appendingPathComponent("big.txt"), atomically: true, encoding: .utf8)
        let whole = try Run(["scan", "big.txt", "--format", "json"], in: folder)
        let streamed = try Run(["scan", "big.txt", "--format", "json", "--stream"], in: folder)
        #expect(whole.status == 0 && streamed.status == 0)
        let a = try #require(try JSONSerialization.jsonObject(with: Data(whole.stdout.utf8)) as? [String: Any])
        let b = try #require(try JSONSerialization.jsonObject(with: Data(streamed.stdout.utf8)) as? [String: Any])
        let entitiesA = try #require(a["entities"] as? [[String: Any]]), entitiesB = try #require(b["entities"] as? [[String: Any]])
        #expect(entitiesA.count == 400 * 7)
        #expect(entitiesA.count == entitiesB.count)
        #expect(zip(entitiesA, entitiesB).allSatisfy { ($0["start"] as? Int) == ($1["start"] as? Int) && ($0["type"] as? String) == ($1["type"] as? String) })
        let refused = try Run(["scan", "big.txt", "--stream", "--show-values"], in: folder)
        #expect(refused.status != 0)
    }

    @Test("redact --stream writes the same masked text as a whole-file redaction, atomically")
    func streamingRedaction() throws {
        let text = String(repeating: Self.note, count: 300)
        try text.write(to: folder.appendingPathComponent("big.txt"), atomically: true, encoding: .utf8)
        let whole = try Run(["redact", "big.txt", "--operator", "default=mask", "-o", "whole.txt"], in: folder)
        let streamed = try Run(["redact", "big.txt", "--operator", "default=mask", "--stream", "-o", "streamed.txt"], in: folder)
        #expect(whole.status == 0 && streamed.status == 0)
        let a = try String(contentsOf: folder.appendingPathComponent("whole.txt"), encoding: .utf8)
        let b = try String(contentsOf: folder.appendingPathComponent("streamed.txt"), encoding: .utf8)
        #expect(a == b)
        #expect(!b.contains("欧阳建华") && b.unicodeScalars.count == text.unicodeScalars.count)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }
}
