public import Core

/// The set of recognizers an analyzer runs. Add a site's own recognizers with `adding(_:)`.
public struct RecognizerRegistry: Sendable {
    public private(set) var recognizers: [any Recognizer]

    public init(_ recognizers: [any Recognizer]) { self.recognizers = recognizers }

    /// Every built-in recognizer, Chinese and English.
    public static let standard = RecognizerRegistry([
        LabelValueRecognizer(), NumberRecognizer(), DateRecognizer(), AgeRecognizer(), EmailRecognizer(),
        URLRecognizer(), LicensePlateRecognizer(), ChineseHospitalRecognizer(), EnglishHospitalRecognizer(),
        ChineseAddressRecognizer(), USAddressRecognizer(), ChineseNameRecognizer(), EnglishNameRecognizer(),
        DeviceIDRecognizer(),
    ])

    public func adding(_ recognizer: any Recognizer) -> RecognizerRegistry {
        RecognizerRegistry(recognizers + [recognizer])
    }

    /// The kinds the registry can produce.
    public var kinds: Set<EntityKind> { recognizers.reduce(into: []) { $0.formUnion($1.kinds) } }
}
