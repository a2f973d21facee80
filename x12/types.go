package x12

import "strings"

// Delimiters are the separators an interchange declares in its ISA segment.
type Delimiters struct {
	// Element separates elements: the byte after "ISA", usually '*'.
	Element byte
	// Repetition separates repeated elements (ISA11, usually '^'); 0 when
	// ISA11 is a letter or digit (pre-5010 files put a standards ID there).
	Repetition byte
	// Component separates the parts of a composite (ISA16), usually ':' or '>'.
	Component byte
	// Segment ends a segment: the byte after ISA16, usually '~'.
	Segment byte
}

// Interchange is the ISA/IEA envelope a remittance arrived in.
type Interchange struct {
	// Segment is the ordinal of the ISA segment in the input.
	Segment int
	// SenderQualifier is ISA05, the sender ID qualifier ("ZZ", "30", ...).
	SenderQualifier string
	// SenderID is ISA06 with its padding removed.
	SenderID string
	// ReceiverQualifier is ISA07.
	ReceiverQualifier string
	// ReceiverID is ISA08 with its padding removed.
	ReceiverID string
	// Date is ISA09 (YYMMDD, read as 20YY); zero when unreadable (a warning
	// says so).
	Date Date
	// Time is ISA10 as written (HHMM).
	Time string
	// Version is ISA12, e.g. "00501".
	Version string
	// ControlNumber is ISA13; IEA02 must repeat it.
	ControlNumber string
	// Usage is ISA15: "P" production, "T" test.
	Usage string
	// Delimiters are the separators ISA declares.
	Delimiters Delimiters
}

// Group is the GS/GE functional group a remittance arrived in.
type Group struct {
	// Segment is the ordinal of the GS segment in the input.
	Segment int
	// FunctionalID is GS01, "HP" for health care claim payment/advice.
	FunctionalID string
	// SenderCode is GS02, the application sender's code.
	SenderCode string
	// ReceiverCode is GS03, the application receiver's code.
	ReceiverCode string
	// Date is GS04 (CCYYMMDD); zero when unreadable (a warning says so).
	Date Date
	// Time is GS05 as written.
	Time string
	// ControlNumber is GS06; GE02 must repeat it.
	ControlNumber string
	// Version is GS08, "005010X221A1" for the 835 this package reads.
	Version string
}

// Remittance is one 835 transaction set (ST to SE): one payment or
// notice from one payer to one payee, with the claims it adjudicates.
type Remittance struct {
	// Interchange is the envelope; shared by every remittance in it.
	Interchange *Interchange
	// Group is the functional group; shared by every remittance in it.
	Group *Group
	// Segment is the ordinal of the ST segment in the input.
	Segment int
	// ControlNumber is ST02; SE02 must repeat it.
	ControlNumber string
	// ImplementationRef is ST03, normally "005010X221A1"; may be empty.
	ImplementationRef string
	// Payment is the BPR financial information.
	Payment Payment
	// Trace is the TRN reassociation trace.
	Trace Trace
	// Refs are the header REF segments (EV receiver ID, F2 version), in order.
	Refs []Ref
	// ProductionDate is DTM*405, the date the payer produced the remittance;
	// zero when absent or unreadable.
	ProductionDate Date
	// Payer is loop 1000A (N1*PR).
	Payer Party
	// Payee is loop 1000B (N1*PE).
	Payee Party
	// Claims are the CLP loops, in file order.
	Claims []Claim
	// ProviderAdjustments are the PLB segments, in file order.
	ProviderAdjustments []ProviderAdjustment
	// Warnings are the oddities accepted inside this transaction, in order.
	Warnings []Warning
}

// Date is the date of the remittance as a notice: the payment or
// effective date (BPR16) when there is one, else the production date
// (DTM*405). Zero only when neither could be read.
func (r *Remittance) Date() Date {
	if !r.Payment.Date.IsZero() {
		return r.Payment.Date
	}
	return r.ProductionDate
}

// Ref returns the value of the first header REF with the qualifier, or "".
func (r *Remittance) Ref(qualifier string) string { return findRef(r.Refs, qualifier) }

// Payment is the BPR segment: how much was paid, how and when.
type Payment struct {
	// Segment is the ordinal of the BPR segment; 0 when the transaction had
	// none (an error: BPR is required).
	Segment int
	// HandlingCode is BPR01: "C" payment with remittance, "I" remittance
	// information only, "H" notification only, "D" debit, "P", "U", "X".
	HandlingCode string
	// TotalCents is BPR02, the total actual provider payment, in cents.
	TotalCents int64
	// CreditDebit is BPR03: "C" credit, "D" debit.
	CreditDebit string
	// Method is BPR04: "ACH", "CHK", "BOP", "FWT" or "NON".
	Method string
	// Format is BPR05 ("CCP", "CTX"); empty for checks.
	Format string
	// Date is BPR16, the check issue or EFT effective date. When BPR16 is
	// absent and BPR15 holds a date with no account qualifier in BPR14, the
	// date is taken from BPR15 with a warning. Zero when missing or
	// impossible (a warning says so).
	Date Date
}

// Trace is the TRN segment that ties the remittance to its payment.
type Trace struct {
	// TypeCode is TRN01, "1" current transaction trace numbers.
	TypeCode string
	// Number is TRN02: the check or EFT trace number.
	Number string
	// OriginatorID is TRN03: the payer's identifier ("1" and its EIN).
	OriginatorID string
	// OriginatorSupplemental is TRN04, when present.
	OriginatorSupplemental string
}

// Party is a payer (loop 1000A) or payee (loop 1000B).
type Party struct {
	// Segment is the ordinal of the N1 segment; 0 when absent.
	Segment int
	// Name is N102.
	Name string
	// IDQualifier is N103: "XX" NPI, "FI" tax ID, "XV" payer plan ID, ...
	IDQualifier string
	// ID is N104.
	ID string
	// Address is N3/N4.
	Address Address
	// Refs are the REF segments of the loop in order: 2U payer ID, EO,
	// HI, NF for a payer; TJ tax ID, PQ payee ID, 0B, D3 for a payee.
	Refs []Ref
}

// Ref returns the value of the party's first REF with the qualifier, or "".
func (p *Party) Ref(qualifier string) string { return findRef(p.Refs, qualifier) }

// NPI returns N104 when N103 is "XX" (national provider identifier), else "".
func (p *Party) NPI() string {
	if p.IDQualifier == "XX" {
		return p.ID
	}
	return ""
}

// Address is an N3/N4 pair.
type Address struct {
	// Line1 is N301.
	Line1 string
	// Line2 is N302.
	Line2 string
	// City is N401.
	City string
	// State is N402.
	State string
	// PostalCode is N403.
	PostalCode string
	// Country is N404, empty for the United States.
	Country string
}

// Ref is a REF segment: a qualifier and a value.
type Ref struct {
	// Qualifier is REF01 ("6R", "1B", "2U", "F8", ...).
	Qualifier string
	// Value is REF02.
	Value string
}

// Amount is an AMT segment.
type Amount struct {
	// Qualifier is AMT01 ("B6" allowed, "AU" coverage, "I" interest, ...).
	Qualifier string
	// Cents is AMT02 in cents.
	Cents int64
}

// Quantity is a QTY segment.
type Quantity struct {
	// Qualifier is QTY01 ("CA" covered actual, "ZK", ...).
	Qualifier string
	// Value is QTY02 as written: a validated decimal number.
	Value string
}

// Entity is a person or organization named by an NM1 segment.
type Entity struct {
	// Segment is the ordinal of the NM1 segment.
	Segment int
	// EntityCode is NM101: "QC" patient, "IL" insured, "74" corrected
	// insured, "82" rendering provider, "TT" crossover carrier, "PR"
	// corrected priority payer, "GB" other subscriber.
	EntityCode string
	// Type is NM102: "1" person, "2" non-person entity.
	Type string
	// Last is NM103: the last name, or the organization's name.
	Last string
	// First is NM104.
	First string
	// Middle is NM105.
	Middle string
	// Suffix is NM107.
	Suffix string
	// IDQualifier is NM108: "MI" member ID, "XX" NPI, "HN", "BS", ...
	IDQualifier string
	// ID is NM109.
	ID string
}

// NPI returns the ID when the qualifier is "XX", else "".
func (e *Entity) NPI() string {
	if e != nil && e.IDQualifier == "XX" {
		return e.ID
	}
	return ""
}

// Claim status codes (CLP02) of 005010X221A1.
const (
	StatusPrimary            = "1"  // processed as primary
	StatusSecondary          = "2"  // processed as secondary
	StatusTertiary           = "3"  // processed as tertiary
	StatusDenied             = "4"  // denied
	StatusPrimaryForwarded   = "19" // processed as primary, forwarded to additional payer(s)
	StatusSecondaryForwarded = "20" // processed as secondary, forwarded
	StatusTertiaryForwarded  = "21" // processed as tertiary, forwarded
	StatusReversal           = "22" // reversal of previous payment
	StatusNotOurClaim        = "23" // not our claim, forwarded to additional payer(s)
	StatusPredetermination   = "25" // predetermination pricing only, no payment
)

// Claim is a claim payment information loop (2100, CLP).
type Claim struct {
	// Segment is the ordinal of the CLP segment.
	Segment int
	// HeaderNumber is LX01 of the header loop (2000) the claim sits in;
	// empty when the file has no LX.
	HeaderNumber string
	// PatientControlNumber is CLP01, the provider's claim ID.
	PatientControlNumber string
	// Status is CLP02 as written; see the Status constants and IsDenied,
	// IsReversal.
	Status string
	// ChargeCents is CLP03, the total claim charge.
	ChargeCents int64
	// PaidCents is CLP04, the claim payment amount (negative on reversals).
	PaidCents int64
	// PatientResponsibilityCents is CLP05; 0 when absent.
	PatientResponsibilityCents int64
	// FilingIndicator is CLP06 ("MB" Medicare Part B, "MA" Part A, "12"
	// PPO, "CI" commercial, "HM" HMO, "MC" Medicaid, ...).
	FilingIndicator string
	// PayerClaimNumber is CLP07, the payer's claim control number (ICN).
	PayerClaimNumber string
	// FacilityCode is CLP08, the place of service or bill type facility code.
	FacilityCode string
	// FrequencyCode is CLP09, the claim frequency code ("1" original,
	// "7" replacement, "8" void).
	FrequencyCode string
	// Adjustments are the claim-level CAS adjustments, one per triplet, in
	// order.
	Adjustments []Adjustment
	// Patient is NM1*QC (required by 005010X221A1; zero when missing).
	Patient Entity
	// Insured is NM1*IL, nil when absent.
	Insured *Entity
	// CorrectedInsured is NM1*74, nil when absent.
	CorrectedInsured *Entity
	// RenderingProvider is NM1*82, nil when absent.
	RenderingProvider *Entity
	// CrossoverCarrier is NM1*TT, nil when absent.
	CrossoverCarrier *Entity
	// CorrectedPayer is NM1*PR, nil when absent.
	CorrectedPayer *Entity
	// OtherSubscriber is NM1*GB, nil when absent.
	OtherSubscriber *Entity
	// MOARemarks are the outpatient remark codes MOA03–MOA07, in order.
	MOARemarks []string
	// MIARemarks are the inpatient remark codes MIA05 and MIA20–MIA24, in
	// order.
	MIARemarks []string
	// StatementFrom is DTM*232, the claim statement period start.
	StatementFrom Date
	// StatementTo is DTM*233, the claim statement period end.
	StatementTo Date
	// Received is DTM*050, the date the payer received the claim.
	Received Date
	// CoverageExpiration is DTM*036.
	CoverageExpiration Date
	// Refs are the claim REF segments in order ("1L" group, "EA" medical
	// record, "F8" original reference, "9A", "BB", ...).
	Refs []Ref
	// Amounts are the claim AMT segments in order ("AU", "I", "F5", ...).
	Amounts []Amount
	// Quantities are the claim QTY segments in order.
	Quantities []Quantity
	// Lines are the service lines (loop 2110), in order.
	Lines []ServiceLine
}

// IsDenied reports whether the claim status is 4, denied.
func (c *Claim) IsDenied() bool { return c.Status == StatusDenied }

// IsReversal reports whether the claim status is 22, reversal of previous
// payment (its amounts are negated).
func (c *Claim) IsReversal() bool { return c.Status == StatusReversal }

// IsProcessed reports whether the payer adjudicated the claim as primary,
// secondary or tertiary (status 1, 2, 3, 19, 20 or 21).
func (c *Claim) IsProcessed() bool {
	switch c.Status {
	case "1", "2", "3", "19", "20", "21":
		return true
	}
	return false
}

// Remarks returns the claim's remark codes, MOA then MIA, in order.
func (c *Claim) Remarks() []string {
	if len(c.MIARemarks) == 0 {
		return c.MOARemarks
	}
	if len(c.MOARemarks) == 0 {
		return c.MIARemarks
	}
	out := make([]string, 0, len(c.MOARemarks)+len(c.MIARemarks))
	return append(append(out, c.MOARemarks...), c.MIARemarks...)
}

// Ref returns the value of the claim's first REF with the qualifier, or "".
func (c *Claim) Ref(qualifier string) string { return findRef(c.Refs, qualifier) }

// Amount returns the claim's first AMT with the qualifier.
func (c *Claim) Amount(qualifier string) (int64, bool) { return findAmount(c.Amounts, qualifier) }

// LineDate returns the date of service of line i: the line's own date
// (DTM*472, else DTM*150), else the claim's statement start (DTM*232),
// which 005010X221A1 lets stand in for line dates.
func (c *Claim) LineDate(i int) Date {
	if d := c.Lines[i].Date(); !d.IsZero() {
		return d
	}
	return c.StatementFrom
}

// Adjustment is one CAS triplet: a group, a reason and an amount.
type Adjustment struct {
	// Group is CAS01 as read: "CO", "PR", "OA", "PI" (or "CR" in old files).
	Group string
	// Reason is the claim adjustment reason code (CARC), e.g. "45", "50".
	Reason string
	// AmountCents is the adjustment amount; positive reduces the payment,
	// negative increases it.
	AmountCents int64
	// Quantity is the adjustment quantity as written; empty when absent.
	Quantity string
}

// Procedure is a composite medical procedure identifier (SVC01, SVC06),
// written HC:97026:GP.
type Procedure struct {
	// Qualifier is component 1: "HC" HCPCS/CPT, "NU" revenue code, "N4"
	// NDC, "AD" ADA, "HP" HIPPS, "IV", "ER", "WK".
	Qualifier string
	// Code is component 2, the procedure code ("97026"); empty when the file
	// gave none (a warning says so).
	Code string
	// Modifiers are components 3–6 that are not empty, in order.
	Modifiers []string
	// Description is component 7 when present.
	Description string
}

// IsZero reports whether no procedure was given.
func (p Procedure) IsZero() bool {
	return p.Qualifier == "" && p.Code == "" && len(p.Modifiers) == 0 && p.Description == ""
}

// String writes the composite with ':' as component separator, e.g.
// "HC:97026:GP".
func (p Procedure) String() string {
	if p.IsZero() {
		return ""
	}
	var b strings.Builder
	b.WriteString(p.Qualifier)
	b.WriteByte(':')
	b.WriteString(p.Code)
	for _, m := range p.Modifiers {
		b.WriteByte(':')
		b.WriteString(m)
	}
	return b.String()
}

// HasModifier reports whether m is one of the modifiers.
func (p Procedure) HasModifier(m string) bool {
	for _, x := range p.Modifiers {
		if x == m {
			return true
		}
	}
	return false
}

// ServiceLine is a service payment information loop (2110, SVC).
type ServiceLine struct {
	// Segment is the ordinal of the SVC segment.
	Segment int
	// Procedure is SVC01, the adjudicated procedure.
	Procedure Procedure
	// ChargeCents is SVC02, the line item charge.
	ChargeCents int64
	// PaidCents is SVC03, the line item provider payment.
	PaidCents int64
	// RevenueCode is SVC04, the NUBC revenue code, as written.
	RevenueCode string
	// Units is SVC05, the units of service paid, as written ("1" when the
	// element is empty, as 005010X221A1 says). See WholeUnits.
	Units string
	// OriginalProcedure is SVC06, the procedure as submitted when the payer
	// changed it; nil when absent.
	OriginalProcedure *Procedure
	// OriginalUnits is SVC07, the units submitted when they differ.
	OriginalUnits string
	// ServiceDate is DTM*472.
	ServiceDate Date
	// ServiceFrom is DTM*150, the service period start.
	ServiceFrom Date
	// ServiceTo is DTM*151, the service period end.
	ServiceTo Date
	// Adjustments are the line CAS adjustments, one per triplet, in order.
	Adjustments []Adjustment
	// Refs are the line REF segments in order ("6R" line item control
	// number, "1B", "0K", "LU", "G1", "HPI", ...).
	Refs []Ref
	// Amounts are the line AMT segments in order ("B6" allowed, "KH", "T").
	Amounts []Amount
	// Quantities are the line QTY segments in order.
	Quantities []Quantity
	// Remarks are the remark codes of LQ*HE segments (RARC), in order.
	Remarks []string
	// RejectCodes are the codes of LQ*RX segments (NCPDP reject reasons).
	RejectCodes []string
}

// Date returns the line's date of service: DTM*472, else DTM*150; zero
// when the line has neither (then the claim's dates apply, see
// Claim.LineDate).
func (l *ServiceLine) Date() Date {
	if !l.ServiceDate.IsZero() {
		return l.ServiceDate
	}
	return l.ServiceFrom
}

// ControlNumber returns REF*6R, the line item control number the provider
// sent on the claim, or "".
func (l *ServiceLine) ControlNumber() string { return findRef(l.Refs, "6R") }

// Ref returns the value of the line's first REF with the qualifier, or "".
func (l *ServiceLine) Ref(qualifier string) string { return findRef(l.Refs, qualifier) }

// Amount returns the line's first AMT with the qualifier.
func (l *ServiceLine) Amount(qualifier string) (int64, bool) { return findAmount(l.Amounts, qualifier) }

// Allowed returns AMT*B6, the allowed amount, when present.
func (l *ServiceLine) Allowed() (int64, bool) { return findAmount(l.Amounts, "B6") }

// WholeUnits returns Units as a whole number when it is one ("2", "2.00").
func (l *ServiceLine) WholeUnits() (int, bool) { return wholeUnits(l.Units) }

// ProviderAdjustment is a PLB segment: provider-level adjustments that are
// not tied to a claim (interest, offsets, withholds, recoupments).
type ProviderAdjustment struct {
	// Segment is the ordinal of the PLB segment.
	Segment int
	// ProviderID is PLB01, the provider identifier (often an NPI or TIN).
	ProviderID string
	// FiscalPeriod is PLB02, the last day of the provider's fiscal year;
	// zero when unreadable (a warning says so).
	FiscalPeriod Date
	// Items are the reason/amount pairs, in order (six at most per segment).
	Items []ProviderAdjustmentItem
}

// ProviderAdjustmentItem is one PLB reason and amount pair.
type ProviderAdjustmentItem struct {
	// Reason is component 1 of the composite ("WO" overpayment recovery,
	// "L6" interest, "FB" forward balance, "CV" capitation, "72", ...).
	Reason string
	// Reference is component 2 of the composite, when given (e.g. the
	// payer claim number an offset recovers).
	Reference string
	// AmountCents is the amount; positive reduces the payment, negative
	// increases it.
	AmountCents int64
}

func findRef(refs []Ref, qualifier string) string {
	for _, r := range refs {
		if r.Qualifier == qualifier {
			return r.Value
		}
	}
	return ""
}

func findAmount(amts []Amount, qualifier string) (int64, bool) {
	for _, a := range amts {
		if a.Qualifier == qualifier {
			return a.Cents, true
		}
	}
	return 0, false
}
