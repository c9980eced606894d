public import Core

/// Device serial numbers written as `SN` + digits (`序列号SN2735705658`). Opt-in kind: reported only
/// when DEVICE_ID is asked for.
public struct DeviceIDRecognizer: Recognizer {
    public let name = "device-serial"
    public let kinds: Set<EntityKind> = [.deviceID]

    public init() {}

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        for i in 0..<t.count where t.chars[i] == 0x53 && t[i + 1] == 0x4E && !CharClass.isLetter(t[i - 1]) {
            var j = i + 2
            while CharClass.isAlnum(t[j]) { j += 1 }
            let digits = (i + 2..<j).filter { CharClass.isDigit(t[$0]) }.count
            if digits >= 6 {
                candidates.append(Candidate(kind: .deviceID, range: i..<j, score: 0.8,
                                            explanation: Explanation(recognizer: name, pattern: "SN + digits")))
            }
        }
    }
}
