package x12_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/x12"
	"github.com/reclaimhq/reclaim/x12/x12test"
)

// FuzzReader feeds the Reader arbitrary bytes. It must never panic, and
// whatever it returns must hold together: a transaction gives a result or
// an error, never both; errors are *SyntaxError and stay; every amount
// round-trips through FormatAmount and ParseAmount; every date is real;
// reading in small pieces gives the same as reading at once.
func FuzzReader(f *testing.F) {
	for _, pattern := range []string{"testdata/*.835", "testdata/linuxforhealth/*.835"} {
		names, err := filepath.Glob(pattern)
		require.NoError(f, err)
		for _, name := range names {
			data, err := os.ReadFile(name)
			require.NoError(f, err)
			f.Add(data)
		}
	}
	f.Add(x12test.Generate(x12test.Options{Lines: 12, MaxLinesPerClaim: 3, ClaimsPerTransaction: 2, Seed: 3}))
	f.Add([]byte(file(claimBody)))
	f.Add([]byte(file(with(7, "SVC*HC*97026*35.00*35.00"))))
	f.Add([]byte(strings.ReplaceAll(file(claimBody), "*", "|")))
	f.Add([]byte(file(kitchenSink)))
	f.Add([]byte(""))
	f.Add([]byte("ISA"))

	f.Fuzz(func(t *testing.T, data []byte) {
		rems, warnings, err := x12.Parse(data)
		var streamed []*x12.Remittance
		r := x12.NewReader(iotest.HalfReader(bytes.NewReader(data)))
		var streamErr error
		for {
			rem, err := r.Next()
			if err != nil {
				if rem != nil {
					t.Fatalf("Next returned a remittance and the error %v", err)
				}
				streamErr = err
				break
			}
			if rem == nil {
				t.Fatal("Next returned neither a remittance nor an error")
			}
			streamed = append(streamed, rem)
		}
		if _, again := r.Next(); again != streamErr {
			t.Fatalf("error not sticky: %v, then %v", streamErr, again)
		}

		if err != nil {
			if rems != nil {
				t.Fatal("Parse returned remittances and an error")
			}
			var se *x12.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error is %T, not *SyntaxError: %v", err, err)
			}
			if se.Msg == "" || se.Segment < 0 || se.Element < 0 || !strings.HasPrefix(err.Error(), "x12: ") {
				t.Fatalf("malformed error %#v", se)
			}
			if streamErr == nil || streamErr.Error() != err.Error() {
				t.Fatalf("streaming error %v, Parse error %v", streamErr, err)
			}
			return
		}
		if !errors.Is(streamErr, io.EOF) {
			t.Fatalf("streaming ended with %v, Parse succeeded", streamErr)
		}
		if got, want := describe(streamed), describe(rems); got != want {
			t.Fatalf("streaming in pieces differs:\n%s\nvs\n%s", got, want)
		}
		if len(warnings) != len(r.Warnings()) {
			t.Fatalf("warnings differ: %d vs %d", len(warnings), len(r.Warnings()))
		}
		for _, w := range warnings {
			if w.Segment < 1 || w.Message == "" {
				t.Fatalf("malformed warning %#v", w)
			}
		}
		for _, rem := range rems {
			checkRemittance(t, rem)
		}
	})
}

// kitchenSink is a small transaction body with one of nearly every
// segment and odd form the Reader handles, so that mutations reach them.
var kitchenSink = []string{
	"BPR*I*35.00*C*CHK***********20260115",
	"CUR*PR*USD",
	"TRN*1*T*1",
	"REF*EV*X",
	"DTM*405*20260110",
	"N1*PR*PAYER",
	"N3*A*B",
	"N4*C*ST*12345",
	"REF*2U*P",
	"PER*BL*X",
	"N1*PE*CLINIC*XX*1245319599",
	"REF*TJ*1",
	"N1*ZZ*OTHER",
	"LX*1",
	"TS3*1*11*20261231*1*1",
	"CLP*P1*22*-35.00*-35.00*0*MB*I1*11*1",
	"CAS*CO*45*0**2*0*1",
	"NM1*QC*1*DOE*JANE*Q**JR*MI*M1",
	"NM1*IL*1*DOE*JOHN",
	"NM1*74*1*X",
	"NM1*82*1*PT*A****XX*1682947134",
	"NM1*TT*2*C",
	"NM1*PR*2*D",
	"NM1*GB*1*E",
	"MIA*0***1.00*MA01****************N1*N2",
	"MOA***MA01*MA02",
	"DTM*232*20260101",
	"DTM*233*20260102",
	"DTM*050*20260103",
	"DTM*036*20261231",
	"REF*F8*I0",
	"AMT*AU*1.00",
	"QTY*CA*1.5",
	"SVC*HC:97026:GP:59:XS:KX:DESC*-35.00*-35.00*0420*-1*HC:97026*2",
	"DTM*472*20260101",
	"CAS*PR*1*0",
	"REF*6R*L1",
	"AMT*B6*0",
	"QTY*ZK*1",
	"LQ*HE*N386",
	"LQ*RX*R1",
	"SVC*HC*97026*0*0",
	"DTM*150*20260101",
	"DTM*151*20260102",
	"CLP*P2*4*0*0",
	"NM1*QC*1*X",
	"SVC*HC>97026*0*0",
	"PLB*1245319599*20261231*WO:I1*0*L6*0",
}

func checkRemittance(t *testing.T, rem *x12.Remittance) {
	t.Helper()
	money := func(c int64) {
		back, err := x12.ParseAmount(x12.FormatAmount(c))
		if err != nil || back != c {
			t.Fatalf("amount %d does not round-trip: %q → %d, %v", c, x12.FormatAmount(c), back, err)
		}
	}
	date := func(d x12.Date) {
		if d.IsZero() {
			return
		}
		var back x12.Date
		if err := back.UnmarshalText([]byte(d.String())); err != nil || back != d {
			t.Fatalf("date %v does not round-trip: %v", d, err)
		}
	}
	adjustments := func(as []x12.Adjustment) {
		for _, a := range as {
			money(a.AmountCents)
			if a.Group == "" || a.Reason == "" {
				t.Fatalf("adjustment without group or reason: %#v", a)
			}
		}
	}
	if rem.Interchange == nil || rem.Group == nil || rem.ControlNumber == "" {
		t.Fatal("remittance without envelope")
	}
	money(rem.Payment.TotalCents)
	date(rem.Payment.Date)
	date(rem.ProductionDate)
	last := rem.Segment
	for i := range rem.Claims {
		c := &rem.Claims[i]
		if c.Segment <= last {
			t.Fatalf("claim segment %d after %d", c.Segment, last)
		}
		last = c.Segment
		if c.PatientControlNumber == "" || c.Status == "" {
			t.Fatal("claim without patient control number or status")
		}
		money(c.ChargeCents)
		money(c.PaidCents)
		money(c.PatientResponsibilityCents)
		adjustments(c.Adjustments)
		for _, d := range []x12.Date{c.StatementFrom, c.StatementTo, c.Received, c.CoverageExpiration} {
			date(d)
		}
		for _, a := range c.Amounts {
			money(a.Cents)
		}
		for j := range c.Lines {
			l := &c.Lines[j]
			if l.Segment <= last {
				t.Fatalf("line segment %d after %d", l.Segment, last)
			}
			last = l.Segment
			money(l.ChargeCents)
			money(l.PaidCents)
			adjustments(l.Adjustments)
			date(l.ServiceDate)
			date(l.ServiceFrom)
			date(l.ServiceTo)
			date(c.LineDate(j))
			for _, a := range l.Amounts {
				money(a.Cents)
			}
			if l.Units == "" || len(l.Procedure.Modifiers) > 4 {
				t.Fatalf("line without units or with too many modifiers: %#v", l)
			}
		}
	}
	for _, p := range rem.ProviderAdjustments {
		date(p.FiscalPeriod)
		if len(p.Items) == 0 {
			t.Fatal("PLB without items")
		}
		for _, it := range p.Items {
			money(it.AmountCents)
		}
	}
}
