// Package x12 reads X12 835 health care claim payment/advice files
// (005010X221A1): the remittances a payer sends a provider to say what it
// paid, adjusted and denied on each claim and service line.
//
// # Where it sits
//
// A billing system (or its clearinghouse) receives 835 files from payers
// and hands them to Reclaim, through POST /v1/remittances or
// `reclaim import`. Reclaim's importer reads them with this package, turns
// every denied service line into a denial (the same path as a JSON post),
// and records later payments of a denied line as recoveries. This package
// is the first step of that flow and a leaf: it imports only the standard
// library and knows nothing of denials, categories or the database. It
// reports what the file says, exactly, and says so when it had to assume
// anything.
//
// # Reading
//
// NewReader streams a file of any size: Next returns one *Remittance per
// ST/SE transaction set, then io.EOF. Parse reads a whole []byte and
// returns every remittance or, for malformed input, none. A file may hold
// several interchanges (ISA/IEA), each with several functional groups
// (GS/GE) of several transaction sets.
//
// Delimiters come from each ISA: the element separator is the byte after
// "ISA", the repetition separator is ISA11, the component separator ISA16,
// and the segment terminator the byte after ISA16. Line breaks after
// terminators, a UTF-8 byte order mark, blank lines and whitespace, NUL or
// SUB padding between interchanges are ignored.
//
// # Values
//
// Money is int64 cents, read exactly from the decimal text without
// floating point (see ParseAmount): "34", "34.0", "-9.00" and ".5" are
// amounts; "1,000" and "12.3.4" are errors, as is "0.125" (a fraction of a
// cent); "0.120" is 12 cents. Reversals (claim status 22) carry negated
// amounts, which read as negative cents.
//
// Dates are the Date type: a calendar day (year, month, day) with no time
// or zone, four bytes, comparable with ==, formatted "2026-01-31", zero when
// absent. Service and statement dates are days, not instants; Date.Time
// gives midnight UTC when a time.Time is needed.
//
// Codes are kept as written (claim status "22", group "CO", reason "45",
// remark "N386"); Claim.IsDenied, Claim.IsReversal and the Status
// constants name the common claim statuses. Interpreting codes (is this a
// denial? which category?) is the business of Reclaim's rules, not of this
// package.
//
// # Errors and warnings
//
// Malformed input gives a *SyntaxError that names the segment (its 1-based
// ordinal in the input, counting every non-empty segment from the first
// ISA), the segment ID and the element, for example
//
//	x12: segment 17 (CLP), element 3: invalid amount "12.3.4"
//
// Errors are for input that cannot be read without guessing at a value
// that matters:
//   - no ISA, a truncated ISA, unusable delimiters, an invalid segment ID,
//     a segment longer than 1 MiB, input that ends inside an envelope;
//   - envelopes out of order (ST outside GS, GS inside a group, a missing
//     SE, GE or IEA), a functional group other than HP, a transaction set
//     other than 835;
//   - a trailer that disagrees with its header: SE01 is not the number of
//     segments from ST to SE, GE01 not the number of transaction sets,
//     IEA01 not the number of groups, or a control number that does not
//     match (SE02/ST02, GE02/GS06, IEA02/ISA13);
//   - an amount, quantity or unit count that is not a number, a missing
//     required amount (BPR02, CLP03, CLP04, SVC02, SVC03, a CAS or PLB
//     amount), a CAS reason without an amount or the reverse, a claim
//     without a patient control number or status;
//   - a missing or impossible service or statement date (DTM*472, 150,
//     151, 232, 233): these decide deadlines and which payment matches
//     which denial, so they are never guessed;
//   - CAS or SVC outside a claim, N1 after the first claim.
//
// Unknown segments inside a transaction set (and segments Reclaim does not
// use, such as TS3, TS2, PER, RDM, NTE) are counted for SE01 and skipped
// without a word.
//
// Warnings are for oddities that real files carry and that can be read
// without a wrong value. The file parses; each Warning (on the Remittance,
// and all of them on Reader.Warnings) names the segment and element and
// says exactly what was assumed:
//   - an SVC composite written with '>' or ':' while ISA16 declares the
//     other, when the declared separator does not occur and the other
//     splits off a known procedure qualifier (HC, AD, ER, HP, IV, N4, NU,
//     WK); the same for a PLB reason composite with a two-character reason;
//   - SVC01 that is a bare qualifier ("SVC*HC*24599.00*1766.50*187.50**1"):
//     the procedure code was written with the element separator. The
//     elements are read shifted left by one only when that reading
//     balances (charge less paid equals the line's adjustments, or charge
//     and paid equal CLP03 and CLP04 of a single-line claim) and the
//     reading as written does not; a code written as a number with a zero
//     fraction ("24599.00") loses the fraction. Otherwise the code is left
//     empty. Either way the warning says which reading was taken and why;
//   - an SVC01 with no qualifier (read as the code), or a qualifier with an
//     empty code;
//   - the payment date in BPR15 instead of BPR16 (taken when BPR16 is empty
//     and BPR14, the account qualifier that would make BPR15 an account
//     number, is empty too); a missing or impossible BPR16 (left unset);
//   - an impossible or missing optional date (DTM*405, 050, 036, the ISA
//     and GS dates, PLB02), left unset;
//   - a line, claim or transaction that does not balance (SVC02 − SVC03 ≠
//     line CAS; CLP03 − CLP04 ≠ claim and line CAS; BPR02 ≠ claim payments
//     less PLB amounts): the amounts are kept as written;
//   - an unknown claim status or adjustment group code (kept as read), an
//     unknown NM1 entity or LQ qualifier (ignored), a CAS or PLB with no
//     adjustments or more than six;
//   - a control number that differs from its header's only in leading
//     zeros, an ISA that is not 106 bytes, a version other than
//     005010X221A1, a currency other than USD, a missing terminator after
//     the last segment;
//   - a missing BPR, payer (N1*PR), payee (N1*PE) or patient (NM1*QC);
//     a second BPR or TRN (ignored) or payer or payee (replaces the first);
//   - claim segments (NM1, MOA, MIA, DTM*232…) after a service line
//     (applied to the claim), service dates before any SVC (ignored),
//     AMT, QTY or LQ outside the loop they belong to (ignored).
//
// Next never panics, on any input; FuzzReader holds it to that.
//
// # Speed
//
// The Reader finds each segment's terminator and element separators in a
// single pass, eight bytes at a time, over a 256 KiB buffer (Parse scans
// the caller's bytes in place, without a copy); it keeps element
// boundaries as offsets and allocates only what ends up in the results,
// in chunks: strings are cut from a shared arena, and claims, lines,
// adjustments and references are built in place in shared slabs. It reads
// a generated 835 at over 200 MB/s on one core (BenchmarkReader).
package x12
