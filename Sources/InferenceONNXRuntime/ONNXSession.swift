import Foundation
import Inference

/// One loaded ONNX model. ONNX Runtime allows concurrent `Run` calls on a session; this type adds no state.
final class ONNXSession: TensorModel, @unchecked Sendable {
    let inputs: [TensorSpec]
    let outputs: [TensorSpec]
    private let runtime: ONNXRuntime
    private let session: ORTHandle
    private var api: ORTFunctionTable { runtime.api }

    init(runtime: ONNXRuntime, model: Data, threads: Int) throws(InferenceRuntimeError) {
        let api = runtime.api
        var options: ORTHandle?
        try api.check(api.createSessionOptions(&options), "cannot create session options")
        guard let options else { throw InferenceRuntimeError("ONNX Runtime returned no session options") }
        defer { api.releaseSessionOptions(options) }
        try api.check(api.setIntraOpNumThreads(options, Int32(max(0, threads))), "cannot set the thread count")
        var session: ORTHandle?
        let status = model.withUnsafeBytes { bytes in
            api.createSessionFromArray(runtime.environment, bytes.baseAddress!, bytes.count, options, &session)
        }
        try api.check(status, "the model cannot be loaded")
        guard let session else { throw InferenceRuntimeError("ONNX Runtime returned no session") }
        self.runtime = runtime
        self.session = session
        do {
            inputs = try Self.specs(of: session, api: api, allocator: runtime.allocator, inputs: true)
            outputs = try Self.specs(of: session, api: api, allocator: runtime.allocator, inputs: false)
        } catch {
            api.releaseSession(session)
            throw error
        }
        guard !inputs.isEmpty else {
            api.releaseSession(session)
            throw InferenceRuntimeError("the model has no inputs")
        }
    }

    deinit { api.releaseSession(session) }

    func run(_ input: Tensor, outputs requested: [String]) throws -> [Tensor] {
        guard requested.allSatisfy({ name in outputs.contains { $0.name == name } }) else {
            throw InferenceRuntimeError("the model has no output named \(requested.filter { name in !outputs.contains { $0.name == name } }.joined(separator: ", "))")
        }
        // ONNX Runtime reads the input in place, so the copy must outlive the value; both go at the end of the call.
        let data = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, input.values.count))
        _ = data.initialize(from: input.values)
        defer { data.deallocate() }
        let inputValue = try makeTensor(shape: input.shape, data: UnsafeMutableRawBufferPointer(data))
        defer { api.releaseValue(inputValue) }
        let names = [inputs[0].name] + requested
        let cNames = names.map { strdup($0) }
        defer { cNames.forEach { free($0) } }
        var results = [ORTHandle?](repeating: nil, count: requested.count)
        let status = cNames.withUnsafeBufferPointer { namePointers in
            let constNames = namePointers.map { UnsafePointer($0) }
            return constNames.withUnsafeBufferPointer { all in
                withUnsafePointer(to: Optional(inputValue)) { inputPointer in
                    api.run(session, nil, all.baseAddress!, inputPointer, 1, all.baseAddress! + 1, requested.count, &results)
                }
            }
        }
        defer { results.forEach { api.releaseValue($0) } }
        try api.check(status, "the model failed to run")
        return try results.map { value throws(InferenceRuntimeError) in
            guard let value else { throw InferenceRuntimeError("the model returned no value") }
            return try readTensor(value)
        }
    }

    private func makeTensor(shape: [Int], data: UnsafeMutableRawBufferPointer) throws(InferenceRuntimeError) -> ORTHandle {
        var value: ORTHandle?
        let dims = shape.map(Int64.init)
        let status = dims.withUnsafeBufferPointer { dims in
            api.createTensorWithDataAsOrtValue(runtime.memoryInfo, data.baseAddress!, data.count, dims.baseAddress!, dims.count, 1, &value)
        }
        try api.check(status, "cannot make an input tensor")
        guard let value else { throw InferenceRuntimeError("ONNX Runtime returned no tensor") }
        return value
    }

    private func readTensor(_ value: ORTHandle) throws(InferenceRuntimeError) -> Tensor {
        var info: ORTHandle?
        try api.check(api.getTensorTypeAndShape(value, &info), "cannot read an output's shape")
        guard let info else { throw InferenceRuntimeError("an output has no shape") }
        defer { api.releaseTensorTypeAndShapeInfo(info) }
        var elementType: Int32 = 0
        try api.check(api.getTensorElementType(info, &elementType), "cannot read an output's type")
        guard elementType == 1 else { throw InferenceRuntimeError("an output is not float32 (ONNX type \(elementType))") }
        let shape = try Self.dimensions(info, api: api).map { Int($0) }
        var data: UnsafeMutableRawPointer?
        try api.check(api.getTensorMutableData(value, &data), "cannot read an output's data")
        let count = shape.reduce(1, *)
        guard let data, count >= 0 else { throw InferenceRuntimeError("an output has no data") }
        let floats = UnsafeBufferPointer(start: data.assumingMemoryBound(to: Float.self), count: count)
        return Tensor(shape: shape, values: Array(floats))
    }

    private static func dimensions(_ info: ORTHandle, api: ORTFunctionTable) throws(InferenceRuntimeError) -> [Int64] {
        var rank = 0
        try api.check(api.getDimensionsCount(info, &rank), "cannot read a tensor's rank")
        var dims = [Int64](repeating: 0, count: rank)
        try api.check(api.getDimensions(info, &dims, rank), "cannot read a tensor's dimensions")
        return dims
    }

    private static func specs(of session: ORTHandle, api: ORTFunctionTable, allocator: ORTHandle, inputs: Bool) throws(InferenceRuntimeError) -> [TensorSpec] {
        var count = 0
        try api.check(inputs ? api.sessionGetInputCount(session, &count) : api.sessionGetOutputCount(session, &count), "cannot count the model's tensors")
        var specs: [TensorSpec] = []
        for index in 0..<count {
            var name: UnsafeMutablePointer<CChar>?
            try api.check(inputs ? api.sessionGetInputName(session, index, allocator, &name) : api.sessionGetOutputName(session, index, allocator, &name),
                          "cannot read a tensor's name")
            guard let name else { throw InferenceRuntimeError("a model tensor has no name") }
            let text = String(cString: name)
            _ = api.allocatorFree(allocator, name)
            var typeInfo: ORTHandle?
            try api.check(inputs ? api.sessionGetInputTypeInfo(session, index, &typeInfo) : api.sessionGetOutputTypeInfo(session, index, &typeInfo),
                          "cannot read the type of \(text)")
            guard let typeInfo else { throw InferenceRuntimeError("\(text) has no type") }
            defer { api.releaseTypeInfo(typeInfo) }
            var tensorInfo: ORTHandle?
            try api.check(api.castTypeInfoToTensorInfo(typeInfo, &tensorInfo), "cannot read the type of \(text)")
            guard let tensorInfo else {
                specs.append(TensorSpec(name: text, shape: [], isFloat: false))   // a sequence or map, not a tensor
                continue
            }
            var elementType: Int32 = 0
            try api.check(api.getTensorElementType(tensorInfo, &elementType), "cannot read the type of \(text)")
            let shape = try dimensions(tensorInfo, api: api).map { $0 < 0 ? nil : Int($0) }
            specs.append(TensorSpec(name: text, shape: shape, isFloat: elementType == 1))
        }
        return specs
    }
}
