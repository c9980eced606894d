import ArgumentParser
import Core
import Foundation
import Workflows

/// `medlocal watch DIR`: the watch-folder batch mode on its own (`serve --watch DIR` runs the same beside the server).
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Parse documents dropped into DIR/incoming into DIR/output/<name>/; inputs move to DIR/done or DIR/failed.",
        discussion: """
        A file is taken once it has not changed for a second. Its outputs are written into DIR/.work and renamed
        into DIR/output/<name>/ whole, then the input moves to DIR/done; a file that cannot be read moves to
        DIR/failed beside <name>.error.txt. A kill at any moment loses and repeats nothing: the next run finishes
        what was half done. Stop with Ctrl-C or SIGTERM (the file in hand is finished first).
        """
    )

    @Argument(help: "The watch folder (incoming/, output/, done/, failed/ are created in it).")
    var folder: String

    @Option(help: "Comma-separated formats: md, json, fhir, phi.")
    var format = "md,json"

    @Flag(help: "Do not OCR scanned pages and images.")
    var noOCR = false

    @Flag(help: "Handle what is in incoming now, then exit (exit 2 when some failed).")
    var once = false

    @Option(help: "Seconds between looks at incoming.")
    var interval: Double = 1

    func run() throws {
        let watch = try Failure.guardingValue {
            try FolderWatch(root: folder, conversion: DocumentConversion(readers: DocumentReaders.current, formats: try ParseCommand.formats(format),
                                                                         ocr: !noOCR))
        }
        let report: (String) -> Void = { FileHandle.standardError.write(Data(("medlocal watch: " + $0 + "\n").utf8)) }
        if once {
            var settled = watch
            settled.settleTime = 0
            let outcome = settled.processPending(report: report)
            report("\(outcome.done) done, \(outcome.failed) failed")
            if outcome.failed > 0 { throw ExitCode(ExitStatus.partialFailure.rawValue) }
            return
        }
        report("watching \(folder)/incoming")
        StopSignal.install()
        watch.run(every: interval, shouldStop: { StopSignal.received }, report: report)
        report("stopped")
    }
}

/// SIGTERM and SIGINT ask a polling loop to stop between files.
enum StopSignal {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    static var received: Bool { flag != 0 }

    static func install() {
        signal(SIGTERM) { _ in StopSignal.flag = 1 }
        signal(SIGINT) { _ in StopSignal.flag = 1 }
    }
}
