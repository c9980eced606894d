// swift-tools-version: 6.1
import PackageDescription

/// One settings array for every target (STYLE.md): every `public import` is deliberate.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "MedLocal",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "medlocal", targets: ["medlocal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(name: "Core", swiftSettings: swiftSettings),
        .target(name: "Detection", dependencies: ["Core"], swiftSettings: swiftSettings),
        .target(name: "Policy", dependencies: ["Core", .product(name: "Yams", package: "Yams")],
                resources: [.copy("Resources/clinical-vocabulary.txt"), .copy("Resources/presets")], swiftSettings: swiftSettings),
        .target(name: "Audit", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        .target(name: "Service", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        .target(name: "Storage", dependencies: ["Audit", "Service", "Inference", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: swiftSettings),
        .target(
            name: "Anonymization",
            dependencies: ["Core", .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Documents",
            dependencies: ["Core", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            resources: [.copy("Resources/section-headings.tsv"), .copy("Resources/lab-items.txt")],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CMuPDF",
            providers: [.apt(["libmupdf-dev", "libharfbuzz-dev", "libjbig2dec0-dev", "libopenjp2-7-dev",
                              "libgumbo-dev", "libmujs-dev", "libjpeg-dev", "libfreetype-dev"])]
        ),
        .target(name: "CMuPDFShim", dependencies: ["CMuPDF"]),
        .systemLibrary(name: "CLibz", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "DICOM", dependencies: ["CLibz"], swiftSettings: swiftSettings),
        .target(name: "DICOMDeidentification", dependencies: ["DICOM", "Anonymization", "Core", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: swiftSettings),
        .systemLibrary(name: "CTesseract", pkgConfig: "tesseract",
                       providers: [.apt(["libtesseract-dev", "libleptonica-dev", "tesseract-ocr-eng", "tesseract-ocr-chi-sim"])]),
        .target(name: "DocumentsTesseract", dependencies: ["Core", "CTesseract"], swiftSettings: swiftSettings),
        .target(name: "DocumentsMuPDF", dependencies: ["Documents", "CMuPDF", "CMuPDFShim"], swiftSettings: swiftSettings),
        .target(
            name: "Workflows",
            dependencies: [
                "Core", "Detection", "Anonymization", "Documents", "DICOM", "DICOMDeidentification", "Policy", "Audit", "Service", "Inference",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Resources/knowledge-base.yaml")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CLI",
            dependencies: [
                "Core", "Workflows", "Policy", "Audit", "Anonymization", "Server", "Service", "Inference",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Server",
            dependencies: [
                "Core", "Workflows", "Service", "Policy", "Audit", "Anonymization", "Documents", "Inference",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources/openapi.json"), .copy("Resources/ui")],
            swiftSettings: swiftSettings
        ),
        .target(name: "Inference", dependencies: ["Core", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        .target(name: "InferenceONNXRuntime", dependencies: ["Inference"], swiftSettings: swiftSettings),
        .target(name: "InferenceLeptonica", dependencies: ["Inference", "CTesseract"], swiftSettings: swiftSettings),
        .executableTarget(name: "medlocal", dependencies: ["CLI", "Server", "DocumentsMuPDF", "DocumentsTesseract", "Storage", "InferenceONNXRuntime", "InferenceLeptonica"], swiftSettings: swiftSettings),
        .target(
            name: "TestSupport",
            dependencies: ["Core", "Audit", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CoreTests", dependencies: ["Core"], swiftSettings: swiftSettings),
        .testTarget(name: "DetectionTests", dependencies: ["Detection", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "AnonymizationTests", dependencies: ["Anonymization", "Detection", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "WorkflowsTests",
            dependencies: [
                "Workflows", "TestSupport", "Anonymization", "Detection", "Inference", .product(name: "ZIPFoundation", package: "ZIPFoundation"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DocumentsTests",
            dependencies: ["Documents", "DocumentsMuPDF", "TestSupport"],
            // Goldens are read (and rewritten) in the source tree by path, not shipped as resources.
            exclude: ["Goldens"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AuditTests", dependencies: ["Audit", "TestSupport", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Audit", "Service", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")],
                    resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "Core"], swiftSettings: swiftSettings),
        .testTarget(name: "DICOMTests", dependencies: ["DICOM", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "DICOMDeidentificationTests", dependencies: ["DICOMDeidentification", "DICOM", "Anonymization", "Core", "DocumentsTesseract", "TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "ScanTests", dependencies: ["Documents", "DocumentsMuPDF", "DocumentsTesseract", "Workflows", "Core", "TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "InferenceONNXRuntimeTests", dependencies: ["InferenceONNXRuntime", "InferenceLeptonica", "Inference", "TestSupport"],
                    resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "CLITests", dependencies: ["medlocal", "TestSupport"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "ServerTests", dependencies: ["medlocal", "Server", "Service", "Storage", "Workflows", "Inference", "Audit", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                                                 .product(name: "Crypto", package: "swift-crypto")],
                    swiftSettings: swiftSettings),
    ]
)
