/// The canonical JSON of a record body, written by hand: keys sorted, no whitespace, `/` unescaped, absent
/// optionals left out — byte for byte what `JSONEncoder` with `.sortedKeys` writes (tests compare them), at a
/// fraction of its cost on Linux: the server appends one body per request. Any JSON decoder reads it.
enum AuditEventEncoding {
    static func body(sequence: Int64, event: AuditEvent) -> String {
        var json = JSONBytes(capacity: 256 + 96 * event.findings.count)
        json.beginObject()
        json.key("event")
        json.beginObject()
        json.member("action", event.action)
        json.member("actor", event.actor)
        json.key("findings")
        json.beginArray()
        for finding in event.findings {
            json.beginObject()
            json.member("action", finding.action)
            json.member("end", finding.end)
            json.member("recognizer", finding.recognizer)
            json.member("score", finding.score)
            json.member("start", finding.start)
            json.member("type", finding.type)
            json.endObject()
        }
        json.endArray()
        json.member("inputDigest", event.inputDigest)
        json.member("itemDigest", event.itemDigest)
        json.member("keyID", event.keyID)
        json.member("operation", event.operation)
        json.member("outputDigest", event.outputDigest)
        json.member("policyName", event.policyName)
        json.member("policyVersion", event.policyVersion)
        json.member("time", AuditChain.timeText(event.time))
        json.endObject()
        json.key("sequence")
        json.number(sequence)
        json.endObject()
        return json.text
    }
}
