public import Crypto
public import Foundation
import Synchronization

/// The append side of the audit chain: events are buffered and appended in groups (one transaction, one fsync per
/// group, so thousands of items are not slowed by one fsync each), and a signed checkpoint of the head is written
/// every ``Configuration/checkpointInterval`` records and on ``close()``.
public final class AuditLog: Sendable {
    public struct Configuration: Sendable {
        /// Records between checkpoints.
        public var checkpointInterval: Int64 = 1000
        /// The id of the project key the signing key comes from, written into every checkpoint.
        public var signingKeyID: String?
        /// Buffered events that trigger an append.
        public var groupSize = 512
        /// Also told of every checkpoint written (syslog, say), so a copy lives where this machine's files do not.
        public var checkpointSink: (@Sendable (Checkpoint) -> Void)?

        public init(checkpointInterval: Int64 = 1000, groupSize: Int = 512, checkpointSink: (@Sendable (Checkpoint) -> Void)? = nil,
                    signingKeyID: String? = nil) {
            self.checkpointInterval = checkpointInterval
            self.signingKeyID = signingKeyID
            self.groupSize = groupSize
            self.checkpointSink = checkpointSink
        }
    }

    private struct State {
        var pending: [AuditEvent] = []
        var lastCheckpoint: Int64 = -1
    }

    public let store: any AuditStore
    public let checkpoints: CheckpointFolder
    private let signingKey: Curve25519.Signing.PrivateKey
    private let configuration: Configuration
    private let state = Mutex(State())

    public init(store: any AuditStore, checkpoints: CheckpointFolder, signingKey: Curve25519.Signing.PrivateKey,
                configuration: Configuration = Configuration()) {
        self.store = store
        self.checkpoints = checkpoints
        self.signingKey = signingKey
        self.configuration = configuration
    }

    public var publicKey: Curve25519.Signing.PublicKey { signingKey.publicKey }

    /// Queues `event`; appends the group once it is full.
    public func record(_ event: AuditEvent) throws {
        let full = state.withLock { state in
            state.pending.append(event)
            return state.pending.count >= configuration.groupSize
        }
        if full { try flush() }
    }

    /// Appends every queued event now.
    @discardableResult
    public func flush() throws -> ChainHead {
        try state.withLock { state in
            guard !state.pending.isEmpty else { return try store.head() }
            let events = state.pending
            var before = ChainHead.empty
            let head = try store.append { head in
                before = head
                return try AuditChain.records(for: events, after: head)
            }
            state.pending.removeAll()
            let interval = max(1, configuration.checkpointInterval)
            if head.count / interval > before.count / interval {
                try writeCheckpoint(head, &state)
            }
            return head
        }
    }

    /// Appends what is queued and signs the head.
    @discardableResult
    public func close() throws -> ChainHead {
        let head = try flush()
        try state.withLock { state in
            if head.count > 0 { try writeCheckpoint(head, &state) }
        }
        return head
    }

    /// Retention: deletes the records older than `cutoff` (never the newest), after signing a checkpoint of the last one deleted so
    /// that verification can tell a prune from a deletion.
    /// - Returns: how many records were deleted.
    @discardableResult
    public func prune(before cutoff: Date) throws -> Int64 {
        let head = try flush()
        let cutoffText = AuditChain.timeText(cutoff)
        var last: AuditRecord?
        var after = try (store.firstSequence() ?? 1) - 1
        let first = after + 1
        scanning: while true {
            let page = try store.records(after: after, limit: 1000)
            guard !page.isEmpty else { break }
            for record in page {
                // The newest record stays: the next append links to it.
                guard record.time < cutoffText, record.sequence < head.count else { break scanning }
                last = record
            }
            after = page[page.count - 1].sequence
        }
        guard let last else { return 0 }
        let base = try Checkpoint.signed(ChainHead(count: last.sequence, hash: last.hash), by: signingKey, keyID: configuration.signingKeyID, pruneBase: true)
        try checkpoints.write(base, publicKey: signingKey.publicKey)
        configuration.checkpointSink?(base)
        try store.deleteRecords(through: last.sequence)
        return last.sequence - first + 1
    }

    private func writeCheckpoint(_ head: ChainHead, _ state: inout State) throws {
        guard head.count != state.lastCheckpoint else { return }
        let checkpoint = try Checkpoint.signed(head, by: signingKey, keyID: configuration.signingKeyID)
        try checkpoints.write(checkpoint, publicKey: signingKey.publicKey)
        configuration.checkpointSink?(checkpoint)
        state.lastCheckpoint = head.count
    }
}
