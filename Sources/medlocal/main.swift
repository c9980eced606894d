import CLI
import DocumentsMuPDF
import DocumentsTesseract
import Inference
import InferenceLeptonica
import InferenceONNXRuntime
import Foundation
import Storage
import Workflows

// Debian's libtesseract uses nested OpenMP regions that spin on every core unless OMP_THREAD_LIMIT is set, and
// libgomp reads it when the library loads — before this line runs. So a medlocal started without it sets it and
// starts itself again (once: the variable is set the second time), which makes OCR fast however it is started.
if ProcessInfo.processInfo.environment["OMP_THREAD_LIMIT"] == nil {
    setenv("OMP_THREAD_LIMIT", "1", 1)
    let arguments = CommandLine.arguments
    var pointers = arguments.map { strdup($0) } + [nil]
    execv("/proc/self/exe", &pointers)
    // execv returns only on failure: carry on in this process (OCR is then slower, nothing else changes).
}

// The one place where concrete adapters are chosen.
func database(in dataDirectory: String) throws -> SQLiteDatabase {
    try SQLiteDatabase(path: (dataDirectory as NSString).appendingPathComponent("medlocal.sqlite"))
}
let stores = Stores(
    openAuditStore: { dataDirectory in SQLiteAuditStore(database: try database(in: dataDirectory)) },
    openServiceStores: { dataDirectory in
        let database = try database(in: dataDirectory)
        return ServiceStores(jobs: SQLiteJobStore(database: database), users: SQLiteUserStore(database: database),
                             audit: SQLiteAuditStore(database: database))
    },
    snapshotDatabase: { dataDirectory, destination in try database(in: dataDirectory).snapshot(to: destination) },
    openKnowledgeBase: { dataDirectory in SQLiteKnowledgeBase(database: try database(in: dataDirectory)) },
    openModelAliases: { dataDirectory in SQLiteModelAliases(database: try database(in: dataDirectory)) },
    inspectDatabase: { dataDirectory in try SQLiteDatabase.inspect(path: (dataDirectory as NSString).appendingPathComponent("medlocal.sqlite")) })
let imageModels = ImageModels(
    loadRuntime: {
        try ONNXRuntime.shared(libraryPath: InstalledFiles().locate(InstalledFiles.onnxRuntimeLibrary, overriddenBy: "MEDLOCAL_ONNXRUNTIME").path)
    },
    decoder: LeptonicaColorDecoder())
await Stores.$current.withValue(stores) {
    await DocumentReaders.$current.withValue(DocumentReaders(pdf: MuPDFBackend(), ocr: TesseractOCREngine(), images: LeptonicaImageDecoder(),
                                                                imageWriter: LeptonicaImageWriter())) {
        await ImageModels.$current.withValue(imageModels) {
            await runMedLocal()
        }
    }
}
