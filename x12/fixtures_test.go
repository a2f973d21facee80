package x12_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/x12"
)

// The LinuxForHealth fixtures are real-world shapes with real-world
// defects (see testdata/linuxforhealth/README.md). Each test pins the whole
// of what the file yields with describe, then spells out the facts that
// matter most.

func TestFixturesAreSharedCopies(t *testing.T) {
	t.Parallel()
	// The copies in testdata must stay byte for byte the shared fixtures;
	// CI runs beside ../shared, and a clean clone without it still has
	// the copies.
	shared := filepath.Join("..", "..", "shared", "fixtures", "835", "linuxforhealth")
	if _, err := os.Stat(shared); os.IsNotExist(err) {
		t.Skip("../shared not present (clean clone); testdata copies are used")
	}
	names, err := filepath.Glob(filepath.Join(shared, "*.835"))
	require.NoError(t, err)
	require.Len(t, names, 6)
	for _, name := range names {
		want, err := os.ReadFile(name)
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join("testdata", "linuxforhealth", filepath.Base(name)))
		require.NoError(t, err)
		require.True(t, bytes.Equal(want, got), "testdata copy of %s differs", filepath.Base(name))
	}
}

func TestFixtureCOBContractualAdjustment(t *testing.T) {
	t.Parallel()
	b := setup(t, "linuxforhealth/cob-contractural-adjustment.835")
	require.Equal(t, golden(`
ST 0001 ISA 000000907 GS 1
BPR I C CHK total 34.00 date 2005-03-18
TRN 1 0063158ABC 1566339911
DTM*405 2005-03-18
REF EV=030240928
payer "YOUR TAX DOLLARS AT WORK" | 481A00 DEAR RUN ROAD | WEST PALM BCH FL 11114
payee "ATONEWITHHEALTH" FI 3UR334563 | 3501 JOHNSON STREET | SUNSHINE FL 12345
  REF PQ=11861
CLP 0001000055 status 2 charge 541.00 paid 34.00 patient 0.00 filing 12 icn 50650619501 facility freq lx 1
  patient 1 BURCK, RAYMOND W MI 987654321
  rendering 2 PROFESSIONAL TEST 1, BS 34426
  DTM*232 2005-02-02
  DTM*233 2005-02-02
  SVC HC:55669 charge 541.00 paid 34.00 units 1.00 rev
    DTM*472 2005-02-02
    CAS OA-23 516.00
    CAS OA-94 -9.00
    REF 1B=44280
    AMT B6 550.00
warning: segment 4 (BPR), element 15: payment date found in BPR15 instead of BPR16; read as 2005-03-18
warning: segment 21 (SVC), element 1: composite "HC>55669" uses '>' as component separator but ISA16 declares ':'; read as HC:55669
`), describe(b.rems))

	r := b.rems[0]
	require.Equal(t, x12.NewDate(2005, 3, 18), r.Payment.Date, "payment date taken from BPR15")
	l := r.Claims[0].Lines[0]
	require.Equal(t, x12.Procedure{Qualifier: "HC", Code: "55669"}, l.Procedure)
	require.Equal(t, []x12.Adjustment{
		{Group: "OA", Reason: "23", AmountCents: 51600},
		{Group: "OA", Reason: "94", AmountCents: -900},
	}, l.Adjustments)
	require.Equal(t, []x12.Warning{
		{Segment: 4, ID: "BPR", Element: 15, Message: "payment date found in BPR15 instead of BPR16; read as 2005-03-18"},
		{Segment: 21, ID: "SVC", Element: 1, Message: `composite "HC>55669" uses '>' as component separator but ISA16 declares ':'; read as HC:55669`},
	}, b.warnings)
}

func TestFixtureDemo(t *testing.T) {
	t.Parallel()
	b := setup(t, "linuxforhealth/demo.835")
	require.Equal(t, golden(`
ST 1234 ISA 000000907 GS 1
BPR C C ACH CTX total 150000.00 date 2002-09-13
TRN 1 12345 1512345678
DTM*405 2002-09-16
payer "INSURANCE COMPANY OF TIMBUCKTU" | 1 MAIN STREET | TIMBUCKTU AK 89111
  REF 2U=999
payee "REGIONAL HOPE HOSPITAL" XX 6543210903 | |
CLP 666123 status 1 charge 211366.97 paid 138018.40 patient 0.00 filing MA icn 1999999444444 facility 11 freq 1 lx 110212
  patient 1 JONES, SAM O HN 666666666A
  CAS CO-45 73348.57
  DTM*232 2002-08-16
  DTM*233 2002-08-24
  QTY CA 8.00
CLP 777777 status 1 charge 15000.00 paid 11980.33 patient 0.00 filing MB icn 1999999444445 facility 13 freq 1 lx 130212
  patient 1 BORDER, LIZ E HN 996669999B
  CAS CO-45 3019.67
  MOA MA02
  DTM*232 2002-05-12
PLB 6543210903 2002-12-31
  CV:CP -1.27
`), describe(b.rems))
	require.Empty(t, b.warnings)

	r := b.rems[0]
	require.Equal(t, int64(15000000), r.Payment.TotalCents)
	require.Equal(t, "6543210903", r.Payee.NPI())
	require.Equal(t, "999", r.Payer.Ref("2U"))
	require.Equal(t, []x12.ProviderAdjustment{{
		Segment:      29,
		ProviderID:   "6543210903",
		FiscalPeriod: x12.NewDate(2002, 12, 31),
		Items:        []x12.ProviderAdjustmentItem{{Reason: "CV", Reference: "CP", AmountCents: -127}},
	}}, r.ProviderAdjustments)
	require.Equal(t, []string{"MA02"}, r.Claims[1].Remarks())
	require.Empty(t, r.Claims[0].Remarks(), "MIA*0***138018.40 has no remark codes")
}

func TestFixtureMedicarePartA(t *testing.T) {
	t.Parallel()
	// The file is byte for byte demo.835 (pinned above); it must read the same.
	b := setup(t, "linuxforhealth/medicare-part-a.835")
	demo := setup(t, "linuxforhealth/demo.835")
	require.Equal(t, describe(demo.rems), describe(b.rems))
	require.Contains(t, describe(b.rems), "CLP 666123 status 1 charge 211366.97 paid 138018.40")
	require.Empty(t, b.warnings)
}

func TestFixtureManagedCare(t *testing.T) {
	t.Parallel()
	b := setup(t, "linuxforhealth/managed-care.835")
	require.Equal(t, golden(`
ST 112233 ISA 000000907 GS 1
BPR I C ACH CCP total 945.00 date
TRN 1 7170066655 1935665544
DTM*405 2002-03-14
payer "RUSHMORE LIFE" | 10 SOUTH AVENUE | RAPID CITY SD 55111
payee "ACME MEDICAL CENTER" XX 5544667733 | |
  REF TJ=777667755
CLP 5554555444 status 1 charge 800.00 paid 450.00 patient 300.00 filing 12 icn 94060555410000 facility freq lx 1
  patient 1 BUDD, WILLIAM MI 33344555510
  CAS CO-A2 50.00
  SVC HC:99211 charge 800.00 paid 500.00 units 1 rev
    DTM*150 2002-03-01
    DTM*151 2002-03-04
    CAS PR-1 300.00
CLP 8765432112 status 1 charge 1200.00 paid 495.00 patient 600.00 filing 12 icn 94077799230000 facility freq lx 1
  patient 1 SETTLE, SUSAN MI 44455666610
  CAS CO-A2 55.00
  SVC HC:93555 charge 1200.00 paid 550.00 units 1 rev
    DTM*150 2002-03-10
    DTM*151 2002-03-12
    CAS PR-1 600.00
    CAS CO-45 50.00
warning: segment 4 (BPR), element 16: invalid payment date "20002316"; left unset
`), describe(b.rems))

	r := b.rems[0]
	require.True(t, r.Payment.Date.IsZero(), "20002316 is not a date")
	require.Equal(t, x12.NewDate(2002, 3, 14), r.Date(), "the remittance date falls back to DTM*405")
	require.Equal(t, "1", r.Claims[0].Lines[0].Units, "an empty SVC05 is one unit")
	require.Equal(t, []x12.Warning{
		{Segment: 4, ID: "BPR", Element: 16, Message: `invalid payment date "20002316"; left unset`},
	}, b.warnings)
}

func TestFixtureSecondaryPayment(t *testing.T) {
	t.Parallel()
	b := setup(t, "linuxforhealth/secondary-payment.835")
	require.Equal(t, golden(`
ST 1234 ISA 000000907 GS 1
BPR I C CHK total 1222.00 date 2005-04-12
TRN 1 0012524965 1559123456
DTM*405 2005-04-12
REF EV=030240928
payer "YOUR TAX DOLLARS AT WORK" | 481A00 DEAR RUN ROAD | WEST PALM BCH FL 11114
payee "ACME MEDICAL CENTER" FI 599944521 | PO BOX 863382 | ORLANDO FL 55115
  REF PQ=10488
CLP L0004828311 status 2 charge 10323.64 paid 912.00 patient 0.00 filing 12 icn 05090256390 facility 11 freq 1 lx 1
  patient 1 TOWNSEND, WILLIAM P MI XXX123456789
  rendering 2 ACME MEDICAL CENTER, BD 987
  CAS OA-23 9411.64
  DTM*232 2005-03-03
  DTM*233 2005-03-04
  AMT AU 912.00
CLP 0001000053 status 2 charge 751.50 paid 310.00 patient 220.00 filing 12 icn 05630626430 facility freq lx 2
  patient 1 BAKI, ANGI MI 456789123
  rendering 2 SMITH JONES PA, BS 34426
  DTM*232 2005-01-06
  DTM*233 2005-01-06
  SVC HC:12345:26 charge 166.50 paid 30.00 units 1.00 rev
    DTM*472 2005-01-06
    CAS OA-23 136.50
    REF 1B=43285
    AMT B6 150.00
  SVC HC:66543:26 charge 585.00 paid 280.00 units 1.00 rev 220
    DTM*472 2005-01-06
    CAS PR-1 150.00
    CAS PR-2 70.00
    CAS CO-42 85.00
    REF 1B=43285
    AMT B6 500.00
warning: segment 4 (BPR), element 15: payment date found in BPR15 instead of BPR16; read as 2005-04-12
warning: segment 29 (SVC), element 1: composite "HC>12345>26" uses '>' as component separator but ISA16 declares ':'; read as HC:12345:26
warning: segment 34 (SVC), element 1: composite "HC>66543>26" uses '>' as component separator but ISA16 declares ':'; read as HC:66543:26
`), describe(b.rems))

	c := b.rems[0].Claims[1]
	require.Equal(t, "HC:66543:26", c.Lines[1].Procedure.String())
	require.Equal(t, []string{"26"}, c.Lines[1].Procedure.Modifiers)
	require.Equal(t, []x12.Adjustment{
		{Group: "PR", Reason: "1", AmountCents: 15000},
		{Group: "PR", Reason: "2", AmountCents: 7000},
		{Group: "CO", Reason: "42", AmountCents: 8500},
	}, c.Lines[1].Adjustments)
	require.Len(t, b.warnings, 3)
}

func TestFixtureTertiaryPayment(t *testing.T) {
	t.Parallel()
	b := setup(t, "linuxforhealth/tertiary-payment.835")
	require.Equal(t, golden(`
ST 0001 ISA 000000907 GS 1
BPR I C CHK total 187.50 date 2005-04-12
TRN 1 0012524879 1559123456
DTM*405 2005-04-12
REF EV=030240928
payer "YOUR TAX DOLLARS AT WORK" | 481A00 DEAR RUN ROAD | WEST PALM BCH FL 11114
payee "ACME MEDICAL CENTER" FI 599944521 | PO BOX 863382 | ORLANDO FL 55115
  REF PQ=10488
CLP 0001000054 status 3 charge 1766.50 paid 187.50 patient 0.00 filing 12 icn 50580155533 facility freq lx 1
  patient 1 ISLAND, ELLIS E MI 789123456
  rendering 2 JONES JONES ASSOCIATES, BS AB34U
  DTM*232 2005-01-20
  SVC HC:24599 charge 1766.50 paid 187.50 units 1 rev
    DTM*472 2005-01-20
    CAS OA-23 1579.00
    REF 1B=44280
    AMT B6 1700.00
warning: segment 4 (BPR), element 15: payment date found in BPR15 instead of BPR16; read as 2005-04-12
warning: segment 20 (SVC), element 1: SVC01 "HC" is a qualifier with no procedure code; assumed the code was written as a separate element and read every element shifted left by one: procedure HC:24599 from SVC02 "24599.00", charge 1766.50, paid 187.50, units 1, because that reading balances against the line adjustments (1579.00) and matches CLP03/CLP04 of this single-line claim and the reading as written (charge 24599.00, paid 1766.50) does not
`), describe(b.rems))

	// SVC*HC*24599.00*1766.50*187.50**1: the code was split off with the
	// element separator; the shifted reading balances, so it is taken.
	l := b.rems[0].Claims[0].Lines[0]
	require.Equal(t, "24599", l.Procedure.Code)
	require.Equal(t, int64(176650), l.ChargeCents)
	require.Equal(t, int64(18750), l.PaidCents)
	require.Equal(t, "1", l.Units)
	require.Empty(t, l.RevenueCode)
	require.Nil(t, l.OriginalProcedure)
	require.Len(t, b.warnings, 2)
	require.Equal(t, 20, b.warnings[1].Segment)
	require.Contains(t, b.warnings[1].Message, "read every element shifted left by one")
}
