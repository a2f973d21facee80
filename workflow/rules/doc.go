// Package rules holds Reclaim's decision tables: what a denied line's adjustment and remark
// codes mean, which category and action follow from them, which payer policy applies, when
// each deadline falls due and how urgent the resulting task is.
//
// It sits in the middle of the denial workflow: package workflow loads a denied line's facts
// from the database (with the NCCI edits and MUE limits of its codes, which change every
// quarter and so are never held here), asks this package for a [Decision] and for the
// [Deadline]s, and writes the results back. Nothing here does I/O or reads the clock: every
// function takes the facts it needs and returns a value, so each rule is pinned by table
// tests and a rule change never touches SQL.
//
// Triage decides in two layers. The base rules read the CARC and RARC tables (SPEC §4).
// The rule pack (pack.go) then refines them for 97026 and the payer kind: NCD 270.6,
// chiropractors on Medicare, therapy modifiers, units, bundling, late filing, unprocessable
// claims, experimental denials. Every rule has a stable id and a precedence; all the rules
// that match a line are recorded, the most specific decides, and [Catalog] lists them with
// what they match and the sentence they write. Three readings run through the pack:
//
//   - The payer's stated reason wins over a defect the rules infer. A missing GP or extra
//     units decide only when the payer's reason names a modifier or frequency problem, or
//     names nothing (CARC 16 with no remark saying what, A1); a decisive reason (timely
//     filing, duplicate, eligibility, coordination of benefits, authorization) is never
//     overridden, except by MA130, which says the claim was not processed at all.
//   - NCD 270.6 decides only a coverage denial (non-covered, medical necessity,
//     experimental, unspecified, or CARC 11). On a clerical denial (CO-4, say) the payer has
//     made no coverage decision yet, and the patient can be billed under an ABN only once it
//     has, so the clerical fix decides and its rationale warns that the NCD will follow.
//     The primary diagnosis decides: an excluded diagnosis in a later position only asks
//     for the pointer to be checked. Liability follows GA alone: without an ABN on file the
//     patient is never billed for the exclusion, whatever group the remittance used.
//   - A chiropractor's 97026 is a statutory exclusion: Medicare never pays it and the
//     patient is liable without an ABN, so it beats NCD 270.6 and every clerical rule.
//
// Reference data (the CARC and RARC tables, the NCD 270.6 diagnosis families, the codes
// Medicare never pays separately, the modality codes next to 97026) is embedded from
// data/*.csv, versioned with the code. Calendar dates are [time.Time] values at midnight
// UTC, made with [Date]; money is int64 cents.
package rules
