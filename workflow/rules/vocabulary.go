package rules

import "slices"

// Category is why a line was denied, one of the exact keys of the product contract.
type Category string

// The denial categories.
const (
	MedicalNecessity       Category = "medical_necessity"
	NonCovered             Category = "non_covered"
	Experimental           Category = "experimental"
	Bundling               Category = "bundling"
	Modifier               Category = "modifier"
	Documentation          Category = "documentation"
	Frequency              Category = "frequency"
	Authorization          Category = "authorization"
	Eligibility            Category = "eligibility"
	CoordinationOfBenefits Category = "coordination_of_benefits"
	TimelyFiling           Category = "timely_filing"
	Duplicate              Category = "duplicate"
	Coding                 Category = "coding"
	ProviderEligibility    Category = "provider_eligibility"
	PatientResponsibility  Category = "patient_responsibility"
	Contractual            Category = "contractual"
	Other                  Category = "other"
)

// Categories lists every category in the contract's order.
var Categories = []Category{
	MedicalNecessity, NonCovered, Experimental, Bundling, Modifier, Documentation, Frequency,
	Authorization, Eligibility, CoordinationOfBenefits, TimelyFiling, Duplicate, Coding,
	ProviderEligibility, PatientResponsibility, Contractual, Other,
}

// Valid reports whether c is one of the contract's categories.
func (c Category) Valid() bool { return slices.Contains(Categories, c) }

// Label is the category in words, for sentences.
func (c Category) Label() string { return categoryLabels[c] }

var categoryLabels = map[Category]string{
	MedicalNecessity:       "medical necessity",
	NonCovered:             "non-covered service",
	Experimental:           "experimental or investigational",
	Bundling:               "bundling",
	Modifier:               "modifier",
	Documentation:          "documentation",
	Frequency:              "frequency or units",
	Authorization:          "authorization",
	Eligibility:            "eligibility",
	CoordinationOfBenefits: "coordination of benefits",
	TimelyFiling:           "timely filing",
	Duplicate:              "duplicate",
	Coding:                 "coding",
	ProviderEligibility:    "provider eligibility",
	PatientResponsibility:  "patient responsibility",
	Contractual:            "contractual adjustment",
	Other:                  "other",
}

// Action is what should be done about a denial.
type Action string

// The actions.
const (
	Appeal           Action = "appeal"
	Reopening        Action = "reopening"
	CorrectedClaim   Action = "corrected_claim"
	NewClaim         Action = "new_claim"
	RebillOtherPayer Action = "rebill_other_payer"
	BillPatient      Action = "bill_patient"
	WriteOff         Action = "write_off"
	Review           Action = "review"
	None             Action = "none"
)

// Actions lists every action in the contract's order.
var Actions = []Action{
	Appeal, Reopening, CorrectedClaim, NewClaim, RebillOtherPayer, BillPatient, WriteOff, Review, None,
}

// Valid reports whether a is one of the contract's actions.
func (a Action) Valid() bool { return slices.Contains(Actions, a) }

// Label is the action in words, for sentences.
func (a Action) Label() string { return actionLabels[a] }

var actionLabels = map[Action]string{
	Appeal:           "appeal",
	Reopening:        "request a reopening",
	CorrectedClaim:   "send a corrected claim",
	NewClaim:         "send a new claim",
	RebillOtherPayer: "bill the right payer",
	BillPatient:      "bill the patient",
	WriteOff:         "write off",
	Review:           "review before choosing",
	None:             "nothing to do",
}

// PayerKind selects a payer's default policy.
type PayerKind string

// The payer kinds.
const (
	Medicare          PayerKind = "medicare"
	MedicareAdvantage PayerKind = "medicare_advantage"
	Medicaid          PayerKind = "medicaid"
	Commercial        PayerKind = "commercial"
	OtherPayer        PayerKind = "other"
)

// PayerKinds lists every payer kind.
var PayerKinds = []PayerKind{Medicare, MedicareAdvantage, Medicaid, Commercial, OtherPayer}

// Valid reports whether k is one of the payer kinds.
func (k PayerKind) Valid() bool { return slices.Contains(PayerKinds, k) }

// Group is an adjustment's group code (CAS01): who bears the amount.
type Group string

// The adjustment groups that occur in 5010 remittances.
const (
	GroupContractual  Group = "CO" // the provider absorbs it and may not bill the patient
	GroupPatient      Group = "PR" // the patient (or a secondary payer) owes it
	GroupOther        Group = "OA" // other, often informational
	GroupPayerInitial Group = "PI" // a payer-initiated reduction
)

// Groups lists the adjustment groups.
var Groups = []Group{GroupContractual, GroupPatient, GroupOther, GroupPayerInitial}

// Valid reports whether g is an adjustment group.
func (g Group) Valid() bool { return slices.Contains(Groups, g) }

// Adjustment is one adjustment on a line: a group, a CARC and an amount.
type Adjustment struct {
	Group       Group
	Reason      string // a CARC
	AmountCents int64
}
