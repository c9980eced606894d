/// US states and USPS street suffixes, for structural address recognition.
enum USPlaces {
    static let stateCodes = WordSet([
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
        "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK",
        "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR",
        "AS", "GU", "MP", "VI", "FM", "MH", "PW", "AA", "AE", "AP",
    ])
    /// State codes that are also clinical credentials after a name (`Smith, MD`): need a ZIP.
    static let credentialLikeCodes = WordSet(["MD", "PA", "DC"])

    static let stateNames: [String] = [
        "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
        "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
        "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska",
        "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
        "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
        "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "District of Columbia",
        "Puerto Rico",
    ]

    static let stateNameCodes: [[UInt32]] = stateNames.sorted { $0.count > $1.count }.map { [UInt32](literal: $0) }

    static let streetSuffixes = WordSet("""
    Alley Aly Annex Arcade Avenue Ave Av Bayou Beach Bend Bluff Bluffs Bottom Boulevard Blvd Branch Bridge Brook Brooks \
    Burg Burgs Bypass Camp Canyon Cape Causeway Center Centers Circle Cir Circles Cliff Cliffs Club Common Commons \
    Corner Corners Course Court Ct Courts Cove Coves Creek Crescent Crest Crossing Crossroad Curve Dale Dam Divide \
    Drive Dr Drives Estate Estates Expressway Expy Extension Ext Fall Falls Ferry Field Fields Flat Flats Ford Fords \
    Forest Forge Forges Fork Forks Fort Freeway Fwy Garden Gardens Gateway Glen Glens Green Greens Grove Groves Harbor \
    Harbors Haven Heights Highway Hwy Hill Hills Hollow Inlet Island Islands Isle Junction Junctions Key Keys Knoll \
    Knolls Lake Lakes Land Landing Lane Ln Light Lights Loaf Lock Locks Lodge Loop Mall Manor Manors Meadow Meadows \
    Mews Mill Mills Mission Motorway Mount Mountain Mountains Neck Orchard Oval Overpass Park Parks Parkway Pkwy \
    Parkways Pass Passage Path Pike Pine Pines Place Pl Plain Plains Plaza Point Points Port Ports Prairie Radial \
    Ramp Ranch Rapid Rapids Rest Ridge Ridges River Road Rd Roads Route Row Rue Run Shoal Shoals Shore Shores \
    Skyway Spring Springs Spur Spurs Square Sq Squares Station Stravenue Stream Street St Streets Summit Terrace Ter \
    Throughway Extensions Via Trace Track Trafficway Trail Trl Trailer Tunnel Turnpike Underpass Union Unions Valley Valleys \
    Viaduct View Views Village Villages Ville Vista Walk Walks Wall Way Ways Well Wells
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

    static let unitWords: [[UInt32]] = ["Apt.", "Apt", "Suite", "Ste.", "Ste", "Unit", "#", "Room", "Floor", "Fl."]
        .map { [UInt32](literal: $0) }
}
