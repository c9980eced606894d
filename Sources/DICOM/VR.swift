/// Value representations (PS3.5 §6.2).
public enum VR: String, CaseIterable, Sendable {
    case AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM,
         UC, UI, UL, UN, UR, US, UT, UV

    init?(bytes b0: UInt8, _ b1: UInt8) {
        guard let vr = VR(rawValue: String(decoding: [b0, b1], as: UTF8.self)) else { return nil }
        self = vr
    }

    var bytes: [UInt8] { Array(rawValue.utf8) }

    /// In explicit VR encodings these have a 2-byte reserved field and a 4-byte length.
    public var hasLongLength: Bool {
        switch self {
        case .OB, .OD, .OF, .OL, .OV, .OW, .SQ, .UC, .UN, .UR, .UT, .SV, .UV: true
        default: false
        }
    }

    /// Character strings, decoded with the dataset's Specific Character Set where it applies.
    public var isText: Bool {
        switch self {
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UC, .UI, .UR, .UT: true
        default: false
        }
    }

    /// Text VRs whose characters follow the Specific Character Set (the others are restricted to ASCII).
    public var usesCharacterSet: Bool {
        switch self {
        case .LO, .LT, .PN, .SH, .ST, .UC, .UT: true
        default: false
        }
    }

    /// Bytes per value for fixed-size binary VRs (byte order matters for these).
    var wordSize: Int {
        switch self {
        case .US, .SS, .OW: 2
        case .UL, .SL, .FL, .OF, .OL, .AT: 4
        case .FD, .OD, .SV, .UV, .OV: 8
        default: 1
        }
    }
}
