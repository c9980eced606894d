import CLI
import DocumentsMuPDF
import Workflows

// The one place where concrete adapters are chosen.
await DocumentReaders.$current.withValue(DocumentReaders(pdf: MuPDFBackend())) {
    await runMedLocal()
}
