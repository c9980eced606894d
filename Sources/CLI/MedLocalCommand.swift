public import ArgumentParser

/// The `medlocal` command tree.
public struct MedLocalCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "medlocal",
        abstract: "On-premises PHI detection, de-identification and document parsing for medical records.",
        discussion: """
        Exit codes: 0 success, 1 bad input or usage, 2 a batch finished with some items failed,
        3 blocked by policy, 4 redaction verification failed.
        """,
        version: "0.2.0",
        subcommands: [ParseCommand.self, OCRCommand.self, RedactDocumentCommand.self, RenderCommand.self, DICOMCommand.self, PolicyCommand.self, ScanCommand.self, RedactCommand.self, RestoreCommand.self, KeygenCommand.self, KeyCommand.self, DoctorCommand.self, PHICommand.self, AuditCommand.self, WebhooksCommand.self, ServeCommand.self, UsersCommand.self, WatchCommand.self, BackupCommand.self, RestoreBackupCommand.self, ModelsCommand.self, KnowledgeBaseCommand.self, ClientCommand.self]
    )

    public init() {}
}

/// Runs the command tree with the process arguments and exits with the command's status.
public func runMedLocal() async {
    await MedLocalCommand.main()
}
