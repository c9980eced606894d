public import Foundation

/// One decision as the audit log keeps it: who did what to which input under which policy, and what was found
/// where — never a value. Inputs and outputs appear only as keyed digests (``AuditDigester``).
public struct AuditEvent: Sendable, Equatable, Codable {
    /// A finding as audited: its type, code-point range, score and recognizer.
    public struct Finding: Sendable, Equatable, Codable {
        public var type: String
        public var start: Int
        public var end: Int
        public var score: Double
        public var recognizer: String
        public var action: String?

        public init(type: String, start: Int, end: Int, score: Double, recognizer: String, action: String? = nil) {
            self.type = type
            self.start = start
            self.end = end
            self.score = score
            self.recognizer = recognizer
            self.action = action
        }
    }

    public var time: Date
    /// The operating-system user, API key name or service that acted.
    public var actor: String
    /// `scan`, `redact`, `parse`, `dicom-deid`, …
    public var operation: String
    /// Keyed SHA-256 of the item's name (file path or record id): file names often hold record numbers, so not
    /// even they are stored. Optional.
    public var itemDigest: String?
    /// Keyed SHA-256 of the input (hex).
    public var inputDigest: String
    /// Keyed SHA-256 of the output (hex); nil when nothing was output (a block, a scan).
    public var outputDigest: String?
    public var policyVersion: String?
    public var policyName: String?
    /// The item's action (`tag`, `alert`, `anonymize`, `block`), or nil when no policy decided.
    public var action: String?
    public var findings: [Finding]
    /// The id of the project key that made the digests and any pseudonyms, shifts or hashes in the output (its
    /// derivation key); encrypted values name their own key.
    public var keyID: String?

    public init(time: Date = Date(), actor: String, operation: String, itemDigest: String? = nil, inputDigest: String,
                outputDigest: String? = nil, policyVersion: String? = nil, policyName: String? = nil, action: String? = nil,
                findings: [Finding] = [], keyID: String? = nil) {
        self.time = time
        self.actor = actor
        self.operation = operation
        self.itemDigest = itemDigest
        self.inputDigest = inputDigest
        self.outputDigest = outputDigest
        self.policyVersion = policyVersion
        self.policyName = policyName
        self.action = action
        self.findings = findings
        self.keyID = keyID
    }
}

/// A stored link of the chain: the event's canonical body, the previous record's hash and its own.
public struct AuditRecord: Sendable, Equatable {
    /// 1, 2, 3 … without gaps.
    public var sequence: Int64
    /// The event time as stored in the body (ISO 8601, UTC, milliseconds), kept beside it for queries.
    public var time: String
    /// Canonical JSON of the event and its sequence number: exactly the bytes that are hashed.
    public var body: String
    public var previousHash: String
    public var hash: String

    public init(sequence: Int64, time: String, body: String, previousHash: String, hash: String) {
        self.sequence = sequence
        self.time = time
        self.body = body
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The event this record holds.
    public func event() throws -> AuditEvent { try AuditChain.decode(body).event }
}

/// The newest link: how many records there are and the last one's hash (``AuditChain/genesisHash`` when empty).
public struct ChainHead: Sendable, Equatable, Codable {
    public var count: Int64
    public var hash: String

    public init(count: Int64, hash: String) {
        self.count = count
        self.hash = hash
    }

    public static let empty = ChainHead(count: 0, hash: AuditChain.genesisHash)
}
