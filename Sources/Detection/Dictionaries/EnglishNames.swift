/// English name vocabulary: census given and family names, and
/// capitalised words that are never names in clinical text.
enum EnglishNames {
    static let givenNames = WordSet(EnglishGivenNames.entries)
    static let familyNames = WordSet(EnglishFamilyNames.entries)


    /// Capitalised words that look like name tokens but are not (section heads, clinical words).
    static let nonNameWords = WordSet([
        "The", "A", "An", "He", "She", "They", "His", "Her", "Patient", "Pt", "Name", "Date", "Age", "Sex", "DOB", "MRN",
        "SSN", "Phone", "Tel", "Fax", "Email", "Address", "Hospital", "Medical", "Center", "Clinic", "Department",
        "Internal", "Medicine", "Cardiology", "Radiology", "Nephrology", "Neurology", "Oncology", "Pulmonology",
        "Gastroenterology", "Endocrinology", "Geriatrics", "Surgery", "General", "Emergency", "Report", "Summary",
        "Discharge", "Admission", "History", "Findings", "Impression", "Technique", "Plan", "Assessment", "Dx",
        "Lab", "Labs", "PE", "BP", "HR", "RR", "CT", "MRI", "No", "Yes", "And", "Or", "Of", "In", "On", "At", "To",
        "With", "For", "By", "From", "Thank", "Dear", "Sincerely", "Regards", "Signed", "Dictated", "Electronically",
        "Follow", "Call", "Contact", "Insurance", "Member", "Record", "Number", "Accession", "Exam", "Room", "Bed",
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mother", "Father", "Wife",
        "Husband", "Son", "Daughter", "Progress", "Note", "Chief", "Complaint", "Unit", "ICU", "Attending",
        "Physician", "Disease", "Syndrome", "Sign", "Signs", "University", "Memorial", "Regional", "Community",
        "Health", "Care", "System", "Street", "Avenue", "Road", "Suite", "Apt", "Mercy", "Saint", "St", "MD", "RN",
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    ])

    /// Words after a possessive or a name that make it an eponym, not a person (`Parkinson's disease`).
    static let eponymHeads = WordSet([
        "disease", "syndrome", "sign", "signs", "test", "law", "phenomenon", "palsy", "sarcoma", "lymphoma",
        "thyroiditis", "ulcer", "criteria", "score", "classification", "maneuver", "reflex", "triad", "procedure",
        "operation", "fracture", "tumor", "tumour", "node", "cell", "cells", "esophagus", "disorder", "scale",
    ], caseInsensitive: true)
}
