import Foundation
import Inference
import InferenceONNXRuntime
import Testing

@Suite struct ONNXRuntimeTests {
    static func runtime() throws -> ONNXRuntime {
        let library = try InstalledFiles().locate(InstalledFiles.onnxRuntimeLibrary, overriddenBy: "MEDLOCAL_ONNXRUNTIME")
        return try ONNXRuntime.shared(libraryPath: library.path)
    }

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)))
    }

    @Test func theInstalledLibraryIsThePinnedVersion() throws {
        #expect(try Self.runtime().version == "1.31.1")
    }

    @Test func aTinyModelGivesTheNumbersOfItsFormula() throws {
        let model = try Self.runtime().load(Self.fixture("gemm-relu.onnx"), threads: 1)
        #expect(model.inputs == [TensorSpec(name: "x", shape: [nil, 3])])
        #expect(model.outputs == [TensorSpec(name: "y", shape: [nil, 2])])
        // relu(x · [[1, -1], [2, 0], [0, 1]] + [0.5, -4]) for two rows.
        let output = try model.run(Tensor(shape: [2, 3], values: [1, 2, 3, -1, 0, 10]), outputs: ["y"])
        #expect(output == [Tensor(shape: [2, 2], values: [5.5, 0, 0, 7])])
    }

    @Test func aDamagedModelIsAnErrorNotACrash() throws {
        var bytes = try Self.fixture("gemm-relu.onnx")
        bytes = bytes.prefix(bytes.count / 2)
        #expect(throws: InferenceRuntimeError.self) { try Self.runtime().load(bytes, threads: 1) }
        #expect(throws: InferenceRuntimeError.self) { try Self.runtime().load(Data("not a model".utf8), threads: 1) }
    }

    @Test func aWrongInputShapeIsAnError() throws {
        let model = try Self.runtime().load(Self.fixture("gemm-relu.onnx"), threads: 1)
        #expect(throws: InferenceRuntimeError.self) { try model.run(Tensor(shape: [1, 4], values: [1, 2, 3, 4]), outputs: ["y"]) }
        #expect(throws: InferenceRuntimeError.self) { try model.run(Tensor(shape: [1, 3], values: [1, 2, 3]), outputs: ["nope"]) }
    }

    @Test func aLibraryThatIsNotThereIsAnError() {
        #expect(throws: InferenceRuntimeError.self) { try ONNXRuntime.shared(libraryPath: "/nonexistent/libonnxruntime.so") }
        #expect(throws: InferenceRuntimeError.self) {
            try InstalledFiles(environment: ["MEDLOCAL_ONNXRUNTIME": "/nonexistent/lib.so"]).locate(InstalledFiles.onnxRuntimeLibrary, overriddenBy: "MEDLOCAL_ONNXRUNTIME")
        }
    }

    @Test func installedFilesAreFoundFromTheExecutableNotTheWorkingDirectory() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("installed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let library = root.appendingPathComponent("lib/medlocal/\(InstalledFiles.onnxRuntimeLibrary)")
        try FileManager.default.createDirectory(at: library.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data().write(to: library)
        let files = InstalledFiles(executable: root.appendingPathComponent("bin/medlocal"), environment: [:])
        #expect(try files.locate(InstalledFiles.onnxRuntimeLibrary, overriddenBy: "X").path == library.path)
        let elsewhere = InstalledFiles(executable: URL(fileURLWithPath: "/nonexistent/bin/medlocal"), environment: [:])
        #expect(throws: InferenceRuntimeError.self) { try elsewhere.locate(InstalledFiles.onnxRuntimeLibrary, overriddenBy: "X") }
    }
}
