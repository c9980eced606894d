// The ONNX Runtime C API (version 1.31.1, API version 17), reached through `dlopen` because no C header ships with
// the PyPI wheel this library comes from. `OrtApi` is a struct of C function pointers that upstream only ever
// appends to, so a function is found by its slot number. Every slot number and signature MedLocal uses is in this
// one file; nothing else touches the raw table.
//
// The slot order mirrors include/onnxruntime/core/session/onnxruntime_c_api.h of ONNX Runtime:
//   Copyright (c) Microsoft Corporation. All rights reserved. Licensed under the MIT License.
import Foundation
import Inference
#if canImport(Glibc)
import Glibc
#endif

typealias ORTHandle = OpaquePointer
/// A non-nil status is an error, owned by the caller.
typealias ORTStatus = OpaquePointer?

/// The function table of one loaded `libonnxruntime`, typed.
struct ORTFunctionTable: @unchecked Sendable {
    static let apiVersion: UInt32 = 17

    let version: String
    private let slots: UnsafePointer<UnsafeRawPointer?>

    init(libraryPath: String) throws(InferenceRuntimeError) {
        guard let library = dlopen(libraryPath, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown reason"
            throw InferenceRuntimeError("cannot load ONNX Runtime from \(libraryPath): \(reason)")
        }
        guard let symbol = dlsym(library, "OrtGetApiBase") else {
            throw InferenceRuntimeError("\(libraryPath) is not ONNX Runtime (no OrtGetApiBase)")
        }
        typealias GetApiBase = @convention(c) () -> UnsafePointer<UnsafeRawPointer?>
        typealias GetApi = @convention(c) (UInt32) -> UnsafePointer<UnsafeRawPointer?>?
        typealias GetVersionString = @convention(c) () -> UnsafePointer<CChar>
        let base = unsafeBitCast(symbol, to: GetApiBase.self)()
        version = String(cString: unsafeBitCast(base[1]!, to: GetVersionString.self)())
        guard let table = unsafeBitCast(base[0]!, to: GetApi.self)(Self.apiVersion) else {
            throw InferenceRuntimeError("ONNX Runtime \(version) at \(libraryPath) does not offer API version \(Self.apiVersion)")
        }
        slots = table
    }

    private func function<T>(_ slot: Int, _: T.Type) -> T { unsafeBitCast(slots[slot]!, to: T.self) }

    // MARK: errors
    var getErrorMessage: @convention(c) (ORTHandle) -> UnsafePointer<CChar> { function(2, (@convention(c) (ORTHandle) -> UnsafePointer<CChar>).self) }
    var releaseStatus: @convention(c) (ORTHandle?) -> Void { function(93, (@convention(c) (ORTHandle?) -> Void).self) }

    // MARK: environment, options, sessions
    /// (logging level, log id, out env)
    var createEnv: @convention(c) (Int32, UnsafePointer<CChar>, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus {
        function(3, (@convention(c) (Int32, UnsafePointer<CChar>, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus).self)
    }
    /// (env, model bytes, byte count, options, out session)
    var createSessionFromArray: @convention(c) (ORTHandle, UnsafeRawPointer, Int, ORTHandle, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus {
        function(8, (@convention(c) (ORTHandle, UnsafeRawPointer, Int, ORTHandle, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus).self)
    }
    /// (session, run options, input names, inputs, input count, output names, output count, out outputs)
    var run: @convention(c) (ORTHandle, ORTHandle?, UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<ORTHandle?>, Int,
                             UnsafePointer<UnsafePointer<CChar>?>, Int, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus {
        function(9, (@convention(c) (ORTHandle, ORTHandle?, UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<ORTHandle?>, Int,
                                      UnsafePointer<UnsafePointer<CChar>?>, Int, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus).self)
    }
    var createSessionOptions: @convention(c) (UnsafeMutablePointer<ORTHandle?>) -> ORTStatus {
        function(10, (@convention(c) (UnsafeMutablePointer<ORTHandle?>) -> ORTStatus).self)
    }
    var setIntraOpNumThreads: @convention(c) (ORTHandle, Int32) -> ORTStatus { function(24, (@convention(c) (ORTHandle, Int32) -> ORTStatus).self) }

    // MARK: session inputs and outputs
    var sessionGetInputCount: @convention(c) (ORTHandle, UnsafeMutablePointer<Int>) -> ORTStatus {
        function(30, (@convention(c) (ORTHandle, UnsafeMutablePointer<Int>) -> ORTStatus).self)
    }
    var sessionGetOutputCount: @convention(c) (ORTHandle, UnsafeMutablePointer<Int>) -> ORTStatus {
        function(31, (@convention(c) (ORTHandle, UnsafeMutablePointer<Int>) -> ORTStatus).self)
    }
    /// (session, index, out type info); the type info is released with ``releaseTypeInfo``.
    var sessionGetInputTypeInfo: @convention(c) (ORTHandle, Int, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus {
        function(33, (@convention(c) (ORTHandle, Int, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus).self)
    }
    var sessionGetOutputTypeInfo: @convention(c) (ORTHandle, Int, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus {
        function(34, (@convention(c) (ORTHandle, Int, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus).self)
    }
    /// (session, index, allocator, out name); the name is freed with ``allocatorFree``.
    var sessionGetInputName: @convention(c) (ORTHandle, Int, ORTHandle, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> ORTStatus {
        function(36, (@convention(c) (ORTHandle, Int, ORTHandle, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> ORTStatus).self)
    }
    var sessionGetOutputName: @convention(c) (ORTHandle, Int, ORTHandle, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> ORTStatus {
        function(37, (@convention(c) (ORTHandle, Int, ORTHandle, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> ORTStatus).self)
    }

    // MARK: tensors
    /// (memory info, data, byte count, shape, rank, element type, out value); the data stays owned by the caller.
    var createTensorWithDataAsOrtValue: @convention(c) (ORTHandle, UnsafeMutableRawPointer, Int, UnsafePointer<Int64>, Int, Int32,
                                                        UnsafeMutablePointer<ORTHandle?>) -> ORTStatus {
        function(49, (@convention(c) (ORTHandle, UnsafeMutableRawPointer, Int, UnsafePointer<Int64>, Int, Int32,
                                       UnsafeMutablePointer<ORTHandle?>) -> ORTStatus).self)
    }
    var getTensorMutableData: @convention(c) (ORTHandle, UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> ORTStatus {
        function(51, (@convention(c) (ORTHandle, UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> ORTStatus).self)
    }
    /// (type info, out tensor info); the tensor info belongs to the type info and is not released.
    var castTypeInfoToTensorInfo: @convention(c) (ORTHandle, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus {
        function(55, (@convention(c) (ORTHandle, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus).self)
    }
    var getTensorElementType: @convention(c) (ORTHandle, UnsafeMutablePointer<Int32>) -> ORTStatus {
        function(60, (@convention(c) (ORTHandle, UnsafeMutablePointer<Int32>) -> ORTStatus).self)
    }
    var getDimensionsCount: @convention(c) (ORTHandle, UnsafeMutablePointer<Int>) -> ORTStatus {
        function(61, (@convention(c) (ORTHandle, UnsafeMutablePointer<Int>) -> ORTStatus).self)
    }
    var getDimensions: @convention(c) (ORTHandle, UnsafeMutablePointer<Int64>, Int) -> ORTStatus {
        function(62, (@convention(c) (ORTHandle, UnsafeMutablePointer<Int64>, Int) -> ORTStatus).self)
    }
    /// (value, out tensor info); the tensor info is released with ``releaseTensorTypeAndShapeInfo``.
    var getTensorTypeAndShape: @convention(c) (ORTHandle, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus {
        function(65, (@convention(c) (ORTHandle, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus).self)
    }
    /// (allocator type: 0 device, 1 arena; memory type: 0 default, out info)
    var createCpuMemoryInfo: @convention(c) (Int32, Int32, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus {
        function(69, (@convention(c) (Int32, Int32, UnsafeMutablePointer<ORTHandle?>) -> ORTStatus).self)
    }
    var allocatorFree: @convention(c) (ORTHandle, UnsafeMutableRawPointer?) -> ORTStatus {
        function(76, (@convention(c) (ORTHandle, UnsafeMutableRawPointer?) -> ORTStatus).self)
    }
    /// The process-wide default allocator; never released.
    var getAllocatorWithDefaultOptions: @convention(c) (UnsafeMutablePointer<ORTHandle?>) -> ORTStatus {
        function(78, (@convention(c) (UnsafeMutablePointer<ORTHandle?>) -> ORTStatus).self)
    }

    // MARK: releases
    var releaseEnv: @convention(c) (ORTHandle?) -> Void { function(92, (@convention(c) (ORTHandle?) -> Void).self) }
    var releaseMemoryInfo: @convention(c) (ORTHandle?) -> Void { function(94, (@convention(c) (ORTHandle?) -> Void).self) }
    var releaseSession: @convention(c) (ORTHandle?) -> Void { function(95, (@convention(c) (ORTHandle?) -> Void).self) }
    var releaseValue: @convention(c) (ORTHandle?) -> Void { function(96, (@convention(c) (ORTHandle?) -> Void).self) }
    var releaseTypeInfo: @convention(c) (ORTHandle?) -> Void { function(98, (@convention(c) (ORTHandle?) -> Void).self) }
    var releaseTensorTypeAndShapeInfo: @convention(c) (ORTHandle?) -> Void { function(99, (@convention(c) (ORTHandle?) -> Void).self) }
    var releaseSessionOptions: @convention(c) (ORTHandle?) -> Void { function(100, (@convention(c) (ORTHandle?) -> Void).self) }

    /// Turns a status into a thrown error (and releases it).
    func check(_ status: ORTStatus, _ what: @autoclosure () -> String) throws(InferenceRuntimeError) {
        guard let status else { return }
        let message = String(cString: getErrorMessage(status))
        releaseStatus(status)
        throw InferenceRuntimeError("\(what()): \(message)")
    }
}
