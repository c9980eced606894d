import CLI
import DocumentsMuPDF
import DocumentsTesseract
import Workflows

// The one place where concrete adapters are chosen.
await DocumentReaders.$current.withValue(DocumentReaders(pdf: MuPDFBackend(), ocr: TesseractOCREngine())) {
    await runMedLocal()
}
