public import Foundation
public import Inference
import Synchronization

/// ``ModelRuntime`` over ONNX Runtime's C library, loaded at run time from a path (see ``RuntimeFiles``).
///
/// One environment per library per process: ONNX Runtime shares its thread pools and logging through it.
public final class ONNXRuntime: ModelRuntime, @unchecked Sendable {
    public let version: String
    let api: ORTFunctionTable
    let environment: ORTHandle
    let memoryInfo: ORTHandle
    let allocator: ORTHandle

    private static let loaded = Mutex<[String: ONNXRuntime]>([:])

    /// The runtime in the library at `libraryPath`, loaded once per process.
    public static func shared(libraryPath: String) throws(InferenceRuntimeError) -> ONNXRuntime {
        try loaded.withLock { (runtimes: inout [String: ONNXRuntime]) throws(InferenceRuntimeError) -> ONNXRuntime in
            if let runtime = runtimes[libraryPath] { return runtime }
            let runtime = try ONNXRuntime(libraryPath: libraryPath)
            runtimes[libraryPath] = runtime
            return runtime
        }
    }

    private init(libraryPath: String) throws(InferenceRuntimeError) {
        let api = try ORTFunctionTable(libraryPath: libraryPath)
        var environment: ORTHandle?, memoryInfo: ORTHandle?, allocator: ORTHandle?
        // Logging level 3 = errors only: the runtime's warnings name graph nodes, never data, but add noise.
        try api.check(api.createEnv(3, "medlocal", &environment), "cannot start ONNX Runtime")
        try api.check(api.createCpuMemoryInfo(0, 0, &memoryInfo), "cannot describe CPU memory to ONNX Runtime")
        try api.check(api.getAllocatorWithDefaultOptions(&allocator), "cannot get ONNX Runtime's allocator")
        guard let environment, let memoryInfo, let allocator else { throw InferenceRuntimeError("ONNX Runtime returned no environment") }
        (self.api, self.version, self.environment, self.memoryInfo, self.allocator) = (api, api.version, environment, memoryInfo, allocator)
    }

    deinit {
        api.releaseMemoryInfo(memoryInfo)
        api.releaseEnv(environment)
    }

    public func load(_ model: Data, threads: Int) throws -> any TensorModel {
        try ONNXSession(runtime: self, model: model, threads: threads)
    }
}
