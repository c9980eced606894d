/// Process exit codes shared by every command (README, "Exit codes").
public enum ExitStatus: Int32, Sendable {
    case success = 0
    /// Bad input or usage; the message names the file and the problem.
    case badInput = 1
    /// A batch finished with some items failed (they are listed).
    case partialFailure = 2
    /// Blocked by policy.
    case blockedByPolicy = 3
    /// Redaction verification failed.
    case verificationFailed = 4
}
