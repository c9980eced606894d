public import Foundation

/// A dense float32 tensor in row-major order.
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "a tensor's values must fill its shape")
        self.shape = shape
        self.values = values
    }
}

/// One input or output of a model as the model declares it. A nil dimension is dynamic (a batch, say).
public struct TensorSpec: Sendable, Equatable, Codable {
    public var name: String
    public var shape: [Int?]
    /// Whether the element type is float32, the only type MedLocal feeds or reads.
    public var isFloat: Bool

    public init(name: String, shape: [Int?], isFloat: Bool = true) {
        self.name = name
        self.shape = shape
        self.isFloat = isFloat
    }
}

/// A loaded model that maps one input tensor to named outputs. Safe to run from several threads at once.
public protocol TensorModel: Sendable {
    var inputs: [TensorSpec] { get }
    var outputs: [TensorSpec] { get }
    /// Runs the model on `input` (fed to its first input) and returns the requested outputs in order.
    func run(_ input: Tensor, outputs: [String]) throws -> [Tensor]
}

/// What runs models: ONNX Runtime in the product.
public protocol ModelRuntime: Sendable {
    var version: String { get }
    /// Loads a model from its bytes (already checked against a bundle's hash, so no file can change in between).
    func load(_ model: Data, threads: Int) throws -> any TensorModel
}

/// A runtime or model failure, with what was being done and the runtime's own message.
public struct InferenceRuntimeError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
