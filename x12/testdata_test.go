package x12_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/x12"
	"github.com/reclaimhq/reclaim/x12/x12test"
)

// Our own 97026 files (testdata/README.md says what each holds). They are
// valid: every one parses without a warning, and every NPI in them is
// Luhn-valid.

func TestTestdataValid(t *testing.T) {
	t.Parallel()
	for _, name := range []string{
		"medicare-97026-denials.835",
		"commercial-97026-denials.835",
		"reversal-97026.835",
		"claim-level-denial-97026.835",
		"partial-payment-97026.835",
		"e2e-denials.835",
		"e2e-payments.835",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, name)
			require.Empty(t, b.warnings)
			for _, r := range b.rems {
				require.True(t, x12test.ValidNPI(r.Payee.NPI()), "payee NPI %s", r.Payee.NPI())
				for _, c := range r.Claims {
					if c.RenderingProvider != nil {
						require.True(t, x12test.ValidNPI(c.RenderingProvider.NPI()), "rendering NPI %s", c.RenderingProvider.NPI())
					}
				}
			}
		})
	}
}

// line finds the service line with the procedure code in the claim.
func line(t *testing.T, c *x12.Claim, code string) *x12.ServiceLine {
	t.Helper()
	for i := range c.Lines {
		if c.Lines[i].Procedure.Code == code {
			return &c.Lines[i]
		}
	}
	require.Failf(t, "no line", "claim %s has no %s line", c.PatientControlNumber, code)
	return nil
}

func TestMedicareDenials(t *testing.T) {
	t.Parallel()
	b := setup(t, "medicare-97026-denials.835")
	require.Equal(t, golden(`
ST 0001 ISA 000004101 GS 4101
BPR I C ACH CCP total 29.91 date 2026-06-12
TRN 1 883500000001 1123456789
DTM*405 2026-06-10
REF EV=SUNRISEPT
payer "NORIDIAN JE PART B" | PO BOX 6774 | FARGO ND 581086774
  REF 2U=01182
payee "SUNRISE PHYSICAL THERAPY" XX 1245319599 | 400 HARBOR BLVD | SAN PEDRO CA 907311234
  REF TJ=954321876
CLP MCR-1001 status 1 charge 130.00 paid 23.12 patient 5.78 filing MB icn 22026152001001 facility 11 freq 1 lx 1
  patient 1 HALVORSEN, MARGARET A MI 2QX7RT4WN63
  rendering 1 OKAFOR, DANIEL XX 1682947134
  MOA MA01
  DTM*050 2026-05-08
  SVC HC:97110:GP charge 95.00 paid 23.12 units 1 rev
    DTM*472 2026-05-04
    CAS CO-45 66.10
    CAS PR-2 5.78
    REF 6R=MCR1001L1
    AMT B6 28.90
  SVC HC:97026:GP charge 35.00 paid 0.00 units 1 rev
    DTM*472 2026-05-04
    CAS CO-50 35.00
    REF 6R=MCR1001L2
    LQ*HE N386
CLP MCR-1002 status 1 charge 35.00 paid 0.00 patient 0.00 filing MB icn 22026152001002 facility 11 freq 1 lx 1
  patient 1 DELACRUZ, ROBERTO MI 5TK9WE2HA41
  rendering 1 NAIR, PRIYA XX 1193758269
  MOA MA01
  DTM*050 2026-05-08
  SVC HC:97026 charge 35.00 paid 0.00 units 1 rev
    DTM*472 2026-05-05
    CAS CO-4 35.00
    REF 6R=MCR1002L1
    LQ*HE N822
CLP MCR-1003 status 1 charge 35.00 paid 0.00 patient 0.00 filing MB icn 22026152001003 facility 11 freq 1 lx 1
  patient 1 BEAUMONT, CLAIRE MI 7HN3UP8RC25
  rendering 1 LINDQVIST, ERIK XX 1348702659
  MOA MA01
  DTM*050 2026-05-11
  SVC HC:97026:GP charge 35.00 paid 0.00 units 1 rev
    DTM*472 2026-05-07
    CAS CO-96 35.00
    REF 6R=MCR1003L1
    LQ*HE N425
CLP MCR-1004 status 1 charge 35.00 paid 0.00 patient 0.00 filing MB icn 22026152001004 facility 11 freq 1 lx 1
  patient 1 MORALES, ESTEBAN J MI 3VW6KD9FE17
  rendering 1 OKAFOR, DANIEL XX 1682947134
  DTM*050 2026-05-20
  SVC HC:97026:GP charge 35.00 paid 0.00 units 1 rev
    DTM*472 2025-03-10
    CAS CO-29 35.00
    REF 6R=MCR1004L1
CLP MCR-1005 status 4 charge 35.00 paid 0.00 patient 0.00 filing MB icn 22026152001005 facility 11 freq 1 lx 1
  patient 1 TANAKA, HIROSHI MI 6AR2GM7XP34
  MOA MA130
  DTM*050 2026-05-21
  SVC HC:97026:GP charge 35.00 paid 0.00 units 1 rev
    DTM*472 2026-05-12
    CAS CO-16 35.00
    REF 6R=MCR1005L1
    LQ*HE N290
CLP MCR-1006 status 1 charge 35.00 paid 0.00 patient 6.79 filing MB icn 22026152001006 facility 11 freq 1 lx 1
  patient 1 WHITFIELD, DOROTHY M MI 8CE5YH3NK96
  rendering 1 NAIR, PRIYA XX 1193758269
  DTM*050 2026-05-22
  SVC HC:97026:GP charge 35.00 paid 0.00 units 1 rev
    DTM*472 2026-05-14
    CAS CO-45 28.21
    CAS PR-1 6.79
    REF 6R=MCR1006L1
    AMT B6 6.79
CLP MCR-1007 status 1 charge 35.00 paid 6.79 patient 0.00 filing MB icn 22026152001007 facility 11 freq 1 lx 1
  patient 1 OYELARAN, FUNMI MI 4FG8QT2MD59
  rendering 1 OKAFOR, DANIEL XX 1682947134
  DTM*050 2026-05-22
  SVC HC:97026:GP charge 35.00 paid 6.79 units 1 rev
    DTM*472 2026-05-15
    CAS CO-45 28.21
    REF 6R=MCR1007L1
    AMT B6 6.79
`), describe(b.rems))

	r := b.rems[0]
	require.Equal(t, int64(2991), r.Payment.TotalCents)
	require.Equal(t, x12.NewDate(2026, time.June, 12), r.Date())
	require.Equal(t, "01182", r.Payer.Ref("2U"))
	require.Len(t, r.Claims, 7)

	// NCD 270.6: CO-50 with N386 on the 97026 line; the 97110 line is paid.
	c := &r.Claims[0]
	l := line(t, c, "97026")
	require.True(t, l.Procedure.HasModifier("GP"))
	require.Equal(t, []x12.Adjustment{{Group: "CO", Reason: "50", AmountCents: 3500}}, l.Adjustments)
	require.Equal(t, []string{"N386"}, l.Remarks)
	require.Equal(t, "MCR1001L2", l.ControlNumber())
	require.Equal(t, int64(2312), line(t, c, "97110").PaidCents)

	// Missing GP: the composite is HC:97026 with no modifier.
	l = &r.Claims[1].Lines[0]
	require.Equal(t, x12.Procedure{Qualifier: "HC", Code: "97026"}, l.Procedure)
	require.False(t, l.Procedure.HasModifier("GP"))
	require.Equal(t, "4", l.Adjustments[0].Reason)
	require.Equal(t, []string{"N822"}, l.Remarks)

	// Chiropractor: CO-96 with N425.
	require.Equal(t, "1348702659", r.Claims[2].RenderingProvider.NPI())
	require.Equal(t, "96", r.Claims[2].Lines[0].Adjustments[0].Reason)

	// Timely filing: served 2025-03-10, received 2026-05-20.
	c = &r.Claims[3]
	require.Equal(t, x12.NewDate(2025, time.March, 10), c.LineDate(0))
	require.Equal(t, x12.NewDate(2026, time.May, 20), c.Received)
	require.Equal(t, "29", c.Lines[0].Adjustments[0].Reason)

	// Unprocessable: claim status 4 with MA130.
	c = &r.Claims[4]
	require.True(t, c.IsDenied())
	require.Equal(t, []string{"MA130"}, c.Remarks())
	require.Nil(t, c.RenderingProvider)

	// Deductible only: nothing paid, but PR-1 is no denial.
	c = &r.Claims[5]
	require.Equal(t, int64(0), c.PaidCents)
	require.Equal(t, int64(679), c.PatientResponsibilityCents)
	allowed, ok := c.Lines[0].Allowed()
	require.True(t, ok)
	require.Equal(t, int64(679), allowed)

	// Contractual write-down only, paid.
	c = &r.Claims[6]
	require.Equal(t, int64(679), c.Lines[0].PaidCents)
	require.Equal(t, []x12.Adjustment{{Group: "CO", Reason: "45", AmountCents: 2821}}, c.Lines[0].Adjustments)
}

func TestCommercialDenials(t *testing.T) {
	t.Parallel()
	b := setup(t, "commercial-97026-denials.835")
	require.Equal(t, golden(`
ST 5201 ISA 000005201 GS 5201
BPR I C ACH CCP total 65.65 date 2026-07-17
TRN 1 SHP0715260001 1987654321
DTM*405 2026-07-15
payer "SUMMIT HEALTH PLAN" | 100 SUMMIT WAY | DENVER CO 802021234
  REF 2U=SHP01
payee "SUNRISE PHYSICAL THERAPY" XX 1245319599 | |
  REF TJ=954321876
CLP COM-2001 status 4 charge 40.00 paid 0.00 patient 0.00 filing CI icn SHP26071500011 facility 11 freq 1 lx 1
  patient 1 ABERNATHY, LUCAS MI SHP884410201
  rendering 1 OKAFOR, DANIEL XX 1682947134
  DTM*232 2026-06-02
  DTM*233 2026-06-02
  DTM*050 2026-06-05
  REF 1L=GRP77120
  SVC HC:97026:GP charge 40.00 paid 0.00 units 1 rev
    DTM*472 2026-06-02
    CAS CO-55 40.00
    REF 6R=COM2001L1
    LQ*HE N623
CLP COM-2002 status 1 charge 120.00 paid 42.00 patient 10.50 filing CI icn SHP26071500012 facility 11 freq 1 lx 1
  patient 1 OKONKWO, ADAEZE MI SHP884410377
  insured 1 OKONKWO, CHIDI MI SHP884410300
  rendering 1 NAIR, PRIYA XX 1193758269
  DTM*050 2026-06-09
  REF 1L=GRP77120
  SVC HC:97140:GP charge 80.00 paid 42.00 units 1 rev
    DTM*472 2026-06-04
    CAS CO-45 27.50
    CAS PR-3 10.50
    REF 6R=COM2002L1
    AMT B6 52.50
  SVC HC:97026:GP charge 40.00 paid 0.00 units 1 rev
    DTM*472 2026-06-04
    CAS CO-97 40.00
    REF 6R=COM2002L2
    LQ*HE M80
CLP COM-2003 status 1 charge 80.00 paid 22.40 patient 5.60 filing CI icn SHP26071500013 facility 11 freq 1 lx 1
  patient 1 FERREIRA, INES MI SHP884410452
  rendering 1 NAIR, PRIYA XX 1193758269
  DTM*050 2026-06-12
  SVC HC:97026:GP charge 80.00 paid 22.40 units 1 rev
    original units 2
    DTM*472 2026-06-08
    CAS CO-45 12.00
    CAS CO-151 40.00 1
    CAS PR-2 5.60
    REF 6R=COM2003L1
    AMT B6 28.00
    LQ*HE N362
CLP COM-2004 status 4 charge 40.00 paid 0.00 patient 0.00 filing CI icn SHP26071500014 facility 11 freq 1 lx 1
  patient 1 BRANDT, WALTER H MI SHP884410518
  rendering 1 OKAFOR, DANIEL XX 1682947134
  DTM*050 2026-06-15
  SVC HC:97026:GP charge 40.00 paid 0.00 units 1 rev
    DTM*472 2026-06-10
    CAS PI-16 40.00
    REF 6R=COM2004L1
    LQ*HE N465
PLB 1245319599 2026-12-31
  L6:SHP26071500013 -1.25
`), describe(b.rems))

	r := b.rems[0]
	// BPR02 is the claim payments (42.00 + 22.40) less the PLB interest
	// (-1.25, which adds to the payment).
	require.Equal(t, int64(6565), r.Payment.TotalCents)
	require.Equal(t, []x12.ProviderAdjustmentItem{{Reason: "L6", Reference: "SHP26071500013", AmountCents: -125}},
		r.ProviderAdjustments[0].Items)

	require.True(t, r.Claims[0].IsDenied())
	require.Equal(t, []string{"N623"}, r.Claims[0].Lines[0].Remarks)
	require.Equal(t, "GRP77120", r.Claims[0].Ref("1L"))
	require.Equal(t, x12.NewDate(2026, time.June, 2), r.Claims[0].StatementFrom)

	bundled := line(t, &r.Claims[1], "97026")
	require.Equal(t, x12.Adjustment{Group: "CO", Reason: "97", AmountCents: 4000}, bundled.Adjustments[0])
	require.Equal(t, []string{"M80"}, bundled.Remarks)
	require.Equal(t, "OKONKWO", r.Claims[1].Insured.Last)

	// Two units billed, one paid: CO-151 takes the second.
	l := &r.Claims[2].Lines[0]
	require.Equal(t, "1", l.Units)
	require.Equal(t, "2", l.OriginalUnits)
	units, ok := l.WholeUnits()
	require.True(t, ok)
	require.Equal(t, 1, units)
	require.Equal(t, []x12.Adjustment{
		{Group: "CO", Reason: "45", AmountCents: 1200},
		{Group: "CO", Reason: "151", AmountCents: 4000, Quantity: "1"},
		{Group: "PR", Reason: "2", AmountCents: 560},
	}, l.Adjustments)

	require.Equal(t, x12.Adjustment{Group: "PI", Reason: "16", AmountCents: 4000}, r.Claims[3].Lines[0].Adjustments[0])
	require.Equal(t, []string{"N465"}, r.Claims[3].Lines[0].Remarks)
}

func TestReversal(t *testing.T) {
	t.Parallel()
	b := setup(t, "reversal-97026.835")
	require.Equal(t, golden(`
ST 5388 ISA 000005388 GS 5388
BPR I C ACH CCP total 5.60 date 2026-08-04
TRN 1 SHP0802260007 1987654321
DTM*405 2026-08-02
payer "SUMMIT HEALTH PLAN" | 100 SUMMIT WAY | DENVER CO 802021234
  REF 2U=SHP01
payee "SUNRISE PHYSICAL THERAPY" XX 1245319599 | |
  REF TJ=954321876
CLP REV-3001 status 22 charge -40.00 paid -22.40 patient -5.60 filing CI icn SHP26071500031 facility 11 freq 1 lx 1
  patient 1 KOWALSKI, AGNIESZKA MI SHP884410611
  rendering 1 NAIR, PRIYA XX 1193758269
  DTM*050 2026-06-22
  SVC HC:97026:GP charge -40.00 paid -22.40 units -1 rev
    DTM*472 2026-06-18
    CAS CO-45 -12.00
    CAS PR-2 -5.60
    REF 6R=REV3001L1
    AMT B6 -28.00
CLP REV-3001 status 1 charge 40.00 paid 28.00 patient 0.00 filing CI icn SHP26080200045 facility 11 freq 1 lx 1
  patient 1 KOWALSKI, AGNIESZKA MI SHP884410611
  rendering 1 NAIR, PRIYA XX 1193758269
  DTM*050 2026-07-22
  REF F8=SHP26071500031
  SVC HC:97026:GP charge 40.00 paid 28.00 units 1 rev
    DTM*472 2026-06-18
    CAS CO-45 12.00
    REF 6R=REV3001L1
    AMT B6 28.00
`), describe(b.rems))

	r := b.rems[0]
	rev, again := &r.Claims[0], &r.Claims[1]
	require.True(t, rev.IsReversal())
	require.False(t, again.IsReversal())
	require.Equal(t, rev.PatientControlNumber, again.PatientControlNumber)
	require.Equal(t, rev.PayerClaimNumber, again.Ref("F8"), "the new claim points at the one it replaces")
	require.Equal(t, int64(-4000), rev.ChargeCents)
	require.Equal(t, int64(-2240), rev.PaidCents)
	require.Equal(t, int64(-560), rev.PatientResponsibilityCents)
	require.Equal(t, int64(-2240), rev.Lines[0].PaidCents)
	require.Equal(t, "-1", rev.Lines[0].Units)
	require.Equal(t, int64(-1200), rev.Lines[0].Adjustments[0].AmountCents)
	require.Equal(t, int64(2800), again.PaidCents)
	require.Equal(t, int64(560), r.Payment.TotalCents, "net of the reversal and the new payment")
}

func TestClaimLevelDenial(t *testing.T) {
	t.Parallel()
	b := setup(t, "claim-level-denial-97026.835")
	require.Equal(t, golden(`
ST 0001 ISA 000004133 GS 4133
BPR H C NON total 0.00 date 2026-06-15
TRN 1 883500000033 1123456789
DTM*405 2026-06-15
payer "NORIDIAN JE PART B" | PO BOX 6774 | FARGO ND 581086774
  REF 2U=01182
payee "SUNRISE PHYSICAL THERAPY" XX 1245319599 | 400 HARBOR BLVD | SAN PEDRO CA 907311234
  REF TJ=954321876
CLP CLD-4001 status 4 charge 35.00 paid 0.00 patient 0.00 filing MB icn 22026166004001 facility 11 freq 1 lx 1
  patient 1 PELLETIER, GASTON MI 9DJ4NV6TA82
  rendering 1 OKAFOR, DANIEL XX 1682947134
  CAS CO-27 35.00
  MOA N30 MA01
  DTM*232 2026-06-01
  DTM*233 2026-06-01
  DTM*050 2026-06-05
`), describe(b.rems))

	r := b.rems[0]
	require.Equal(t, "H", r.Payment.HandlingCode)
	require.Equal(t, int64(0), r.Payment.TotalCents)
	c := &r.Claims[0]
	require.True(t, c.IsDenied())
	require.Empty(t, c.Lines)
	require.Equal(t, []x12.Adjustment{{Group: "CO", Reason: "27", AmountCents: 3500}}, c.Adjustments)
	require.Equal(t, []string{"N30", "MA01"}, c.MOARemarks)
	require.Equal(t, x12.NewDate(2026, time.June, 1), c.StatementFrom)
	require.Equal(t, x12.NewDate(2026, time.June, 1), c.StatementTo)
}

func TestPartialPayment(t *testing.T) {
	t.Parallel()
	b := setup(t, "partial-payment-97026.835")
	require.Equal(t, golden(`
ST 6610 ISA 000006610 GS 6610
BPR I C CHK total 16.00 date 2026-07-29
TRN 1 70012345 1841234567
DTM*405 2026-07-28
REF EV=SUNRISEPT
payer "BLUE PEAK HEALTH INSURANCE" | PO BOX 4410 | PORTLAND OR 972084410
  REF 2U=BPH22
payee "SUNRISE PHYSICAL THERAPY" XX 1245319599 | 400 HARBOR BLVD | SAN PEDRO CA 907311234
  REF TJ=954321876
CLP PP-5001 status 1 charge 40.00 paid 16.00 patient 4.00 filing 12 icn BPH2607280044 facility 11 freq 1 lx 1
  patient 1 SANTIAGO, MARISOL MI BPH55021877
  insured 1 SANTIAGO, RAFAEL MI BPH55021800
  rendering 1 NAIR, PRIYA XX 1193758269
  DTM*050 2026-07-06
  SVC HC:97026:GP charge 40.00 paid 16.00 units 1 rev
    DTM*472 2026-07-01
    CAS CO-45 12.00
    CAS CO-50 8.00 1
    CAS PR-2 4.00
    REF 6R=PP5001L1
    AMT B6 20.00
    LQ*HE N661
`), describe(b.rems))

	l := &b.rems[0].Claims[0].Lines[0]
	require.Equal(t, int64(4000), l.ChargeCents)
	require.Equal(t, int64(1600), l.PaidCents)
	// One CAS segment with two triplets, then a second segment.
	require.Equal(t, []x12.Adjustment{
		{Group: "CO", Reason: "45", AmountCents: 1200},
		{Group: "CO", Reason: "50", AmountCents: 800, Quantity: "1"},
		{Group: "PR", Reason: "2", AmountCents: 400},
	}, l.Adjustments)
	allowed, ok := l.Allowed()
	require.True(t, ok)
	require.Equal(t, int64(2000), allowed)
	require.Equal(t, "CHK", b.rems[0].Payment.Method)
}

// lineKey is how a later payment finds the denied line it pays.
type lineKey struct {
	pcn, icn, code string
	date           x12.Date
}

func keys(rems []*x12.Remittance, denied bool) map[lineKey]int64 {
	out := map[lineKey]int64{}
	for _, r := range rems {
		for i := range r.Claims {
			c := &r.Claims[i]
			for j, l := range c.Lines {
				if (l.PaidCents == 0) != denied {
					continue
				}
				out[lineKey{c.PatientControlNumber, c.PayerClaimNumber, l.Procedure.Code, c.LineDate(j)}] = l.PaidCents
			}
		}
	}
	return out
}

func TestEndToEndPair(t *testing.T) {
	t.Parallel()
	den := setup(t, "e2e-denials.835")
	require.Equal(t, golden(`
ST 9151 ISA 000009150 GS 9150
BPR I C ACH CCP total 23.12 date 2026-09-15
TRN 1 883500009151 1123456789
DTM*405 2026-09-15
payer "NORIDIAN JE PART B" | PO BOX 6774 | FARGO ND 581086774
  REF 2U=01182
payee "SUNRISE PHYSICAL THERAPY" XX 1245319599 | |
  REF TJ=954321876
CLP E2E-101 status 1 charge 130.00 paid 23.12 patient 5.78 filing MB icn 22026258101001 facility 11 freq 1 lx 1
  patient 1 HALVORSEN, MARGARET A MI 2QX7RT4WN63
  rendering 1 OKAFOR, DANIEL XX 1682947134
  MOA MA01
  DTM*050 2026-08-08
  SVC HC:97110:GP charge 95.00 paid 23.12 units 1 rev
    DTM*472 2026-08-03
    CAS CO-45 66.10
    CAS PR-2 5.78
    REF 6R=E2E101L1
    AMT B6 28.90
  SVC HC:97026:GP charge 35.00 paid 0.00 units 1 rev
    DTM*472 2026-08-03
    CAS CO-50 35.00
    REF 6R=E2E101L2
    LQ*HE N115
CLP E2E-102 status 1 charge 35.00 paid 0.00 patient 0.00 filing MB icn 22026258101002 facility 11 freq 1 lx 1
  patient 1 DELACRUZ, ROBERTO MI 5TK9WE2HA41
  rendering 1 NAIR, PRIYA XX 1193758269
  MOA MA01
  DTM*050 2026-08-10
  SVC HC:97026 charge 35.00 paid 0.00 units 1 rev
    DTM*472 2026-08-05
    CAS CO-4 35.00
    REF 6R=E2E102L1
    LQ*HE N822
ST 9152 ISA 000009150 GS 9150
BPR H C NON total 0.00 date 2026-09-15
TRN 1 SHP0915260001 1987654321
DTM*405 2026-09-15
payer "SUMMIT HEALTH PLAN" | 100 SUMMIT WAY | DENVER CO 802021234
  REF 2U=SHP01
payee "SUNRISE PHYSICAL THERAPY" XX 1245319599 | |
  REF TJ=954321876
CLP E2E-201 status 4 charge 40.00 paid 0.00 patient 0.00 filing CI icn SHP26091500201 facility 11 freq 1 lx 1
  patient 1 ABERNATHY, LUCAS MI SHP884410201
  rendering 1 OKAFOR, DANIEL XX 1682947134
  DTM*050 2026-08-14
  SVC HC:97026:GP charge 40.00 paid 0.00 units 1 rev
    DTM*472 2026-08-10
    CAS CO-197 40.00
    REF 6R=E2E201L1
CLP E2E-202 status 1 charge 40.00 paid 0.00 patient 0.00 filing CI icn SHP26091500202 facility 11 freq 1 lx 1
  patient 1 FERREIRA, INES MI SHP884410452
  rendering 1 NAIR, PRIYA XX 1193758269
  DTM*050 2026-08-16
  SVC HC:97026:GP charge 40.00 paid 0.00 units 1 rev
    DTM*472 2026-08-12
    CAS PI-16 40.00
    REF 6R=E2E202L1
    LQ*HE N465
`), describe(den.rems))
	pay := setup(t, "e2e-payments.835")
	require.Equal(t, golden(`
ST 10201 ISA 000010200 GS 10200
BPR I C ACH CCP total 5.43 date 2026-10-20
TRN 1 883500010201 1123456789
DTM*405 2026-10-20
payer "NORIDIAN JE PART B" | PO BOX 6774 | FARGO ND 581086774
  REF 2U=01182
payee "SUNRISE PHYSICAL THERAPY" XX 1245319599 | |
  REF TJ=954321876
CLP E2E-101 status 1 charge 35.00 paid 5.43 patient 1.36 filing MB icn 22026258101001 facility 11 freq 1 lx 1
  patient 1 HALVORSEN, MARGARET A MI 2QX7RT4WN63
  rendering 1 OKAFOR, DANIEL XX 1682947134
  MOA MA01
  DTM*050 2026-08-08
  SVC HC:97026:GP charge 35.00 paid 5.43 units 1 rev
    DTM*472 2026-08-03
    CAS CO-45 28.21
    CAS PR-2 1.36
    REF 6R=E2E101L2
    AMT B6 6.79
ST 10202 ISA 000010200 GS 10200
BPR I C ACH CCP total 68.00 date 2026-10-20
TRN 1 SHP1020260001 1987654321
DTM*405 2026-10-20
payer "SUMMIT HEALTH PLAN" | 100 SUMMIT WAY | DENVER CO 802021234
  REF 2U=SHP01
payee "SUNRISE PHYSICAL THERAPY" XX 1245319599 | |
  REF TJ=954321876
CLP E2E-201 status 1 charge 40.00 paid 40.00 patient 0.00 filing CI icn SHP26091500201 facility 11 freq 1 lx 1
  patient 1 ABERNATHY, LUCAS MI SHP884410201
  rendering 1 OKAFOR, DANIEL XX 1682947134
  DTM*050 2026-08-14
  REF G1=AUTH5521907
  SVC HC:97026:GP charge 40.00 paid 40.00 units 1 rev
    DTM*472 2026-08-10
    REF 6R=E2E201L1
    AMT B6 40.00
CLP E2E-301 status 1 charge 40.00 paid 28.00 patient 0.00 filing CI icn SHP26102000301 facility 11 freq 1 lx 1
  patient 1 KOWALSKI, AGNIESZKA MI SHP884410611
  rendering 1 NAIR, PRIYA XX 1193758269
  DTM*050 2026-10-02
  SVC HC:97026:GP charge 40.00 paid 28.00 units 1 rev
    DTM*472 2026-09-28
    CAS CO-45 12.00
    REF 6R=E2E301L1
    AMT B6 28.00
`), describe(pay.rems))

	require.Len(t, den.rems, 2, "a Medicare and a commercial transaction set")
	for _, r := range den.rems {
		require.Equal(t, x12.NewDate(2026, time.September, 15), r.Payment.Date)
		require.Equal(t, x12.NewDate(2026, time.September, 15), r.ProductionDate)
	}
	for _, r := range pay.rems {
		require.Equal(t, x12.NewDate(2026, time.October, 20), r.Date())
	}

	denied := keys(den.rems, true)
	require.Equal(t, map[lineKey]int64{
		{"E2E-101", "22026258101001", "97026", x12.NewDate(2026, time.August, 3)}:  0,
		{"E2E-102", "22026258101002", "97026", x12.NewDate(2026, time.August, 5)}:  0,
		{"E2E-201", "SHP26091500201", "97026", x12.NewDate(2026, time.August, 10)}: 0,
		{"E2E-202", "SHP26091500202", "97026", x12.NewDate(2026, time.August, 12)}: 0,
	}, denied)

	paid := keys(pay.rems, false)
	require.Equal(t, map[lineKey]int64{
		{"E2E-101", "22026258101001", "97026", x12.NewDate(2026, time.August, 3)}:     543,  // in part: CO-45 and PR-2
		{"E2E-201", "SHP26091500201", "97026", x12.NewDate(2026, time.August, 10)}:    4000, // in full
		{"E2E-301", "SHP26102000301", "97026", x12.NewDate(2026, time.September, 28)}: 2800, // matches nothing
	}, paid)
	matched := 0
	for k := range paid {
		if _, ok := denied[k]; ok {
			matched++
		}
	}
	require.Equal(t, 2, matched)
}
