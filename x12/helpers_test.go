package x12_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/x12"
)

// testBundle is what a test of one file needs.
type testBundle struct {
	data     []byte
	rems     []*x12.Remittance
	warnings []x12.Warning
}

// setup reads testdata/name and parses it; the file must parse.
func setup(t *testing.T, name string) *testBundle {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	rems, warnings, err := x12.Parse(data)
	require.NoError(t, err)
	return &testBundle{data: data, rems: rems, warnings: warnings}
}

// readTestdata reads testdata/name.
func readTestdata(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("testdata", name))
}

// parseString parses an inline 835 and returns its remittances, warnings
// and error.
func parseString(s string) ([]*x12.Remittance, []x12.Warning, error) {
	return x12.Parse([]byte(s))
}

// golden drops the newline that opens a raw-string golden text.
func golden(s string) string { return strings.TrimPrefix(s, "\n") }

// warningStrings renders warnings for comparison.
func warningStrings(ws []x12.Warning) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.String())
	}
	return out
}

// describe renders everything a remittance holds as stable text, so that
// a test can pin a whole file in one readable comparison. Empty values
// are left out and runs of blanks squeezed, so the text has no trailing
// spaces.
func describe(rems []*x12.Remittance) string {
	var b strings.Builder
	p := func(indent int, format string, args ...any) {
		// Empty values leave runs of blanks; squeeze them.
		line := strings.Join(strings.Fields(fmt.Sprintf(format, args...)), " ")
		b.WriteString(strings.Repeat("  ", indent))
		b.WriteString(line)
		b.WriteByte('\n')
	}
	money := x12.FormatAmount
	for _, r := range rems {
		p(0, "ST %s ISA %s GS %s", r.ControlNumber, r.Interchange.ControlNumber, r.Group.ControlNumber)
		p(0, "BPR %s %s %s %s total %s date %s", r.Payment.HandlingCode, r.Payment.CreditDebit, r.Payment.Method,
			r.Payment.Format, money(r.Payment.TotalCents), r.Payment.Date)
		p(0, "TRN %s %s %s", r.Trace.TypeCode, r.Trace.Number, r.Trace.OriginatorID)
		if !r.ProductionDate.IsZero() {
			p(0, "DTM*405 %s", r.ProductionDate)
		}
		for _, ref := range r.Refs {
			p(0, "REF %s=%s", ref.Qualifier, ref.Value)
		}
		for _, party := range []struct {
			role string
			p    x12.Party
		}{{"payer", r.Payer}, {"payee", r.Payee}} {
			pt := party.p
			p(0, "%s %q %s %s | %s %s | %s %s %s", party.role, pt.Name, pt.IDQualifier, pt.ID,
				pt.Address.Line1, pt.Address.Line2, pt.Address.City, pt.Address.State, pt.Address.PostalCode)
			for _, ref := range pt.Refs {
				p(1, "REF %s=%s", ref.Qualifier, ref.Value)
			}
		}
		for _, c := range r.Claims {
			p(0, "CLP %s status %s charge %s paid %s patient %s filing %s icn %s facility %s freq %s lx %s",
				c.PatientControlNumber, c.Status, money(c.ChargeCents), money(c.PaidCents), money(c.PatientResponsibilityCents),
				c.FilingIndicator, c.PayerClaimNumber, c.FacilityCode, c.FrequencyCode, c.HeaderNumber)
			entity := func(role string, e *x12.Entity) {
				if e != nil && e.Segment != 0 {
					p(1, "%s %s %s, %s %s %s %s %s", role, e.Type, e.Last, e.First, e.Middle, e.Suffix, e.IDQualifier, e.ID)
				}
			}
			entity("patient", &c.Patient)
			entity("insured", c.Insured)
			entity("corrected-insured", c.CorrectedInsured)
			entity("rendering", c.RenderingProvider)
			entity("crossover", c.CrossoverCarrier)
			entity("corrected-payer", c.CorrectedPayer)
			entity("other-subscriber", c.OtherSubscriber)
			for _, a := range c.Adjustments {
				p(1, "CAS %s-%s %s %s", a.Group, a.Reason, money(a.AmountCents), a.Quantity)
			}
			if len(c.MOARemarks) > 0 {
				p(1, "MOA %s", strings.Join(c.MOARemarks, " "))
			}
			if len(c.MIARemarks) > 0 {
				p(1, "MIA %s", strings.Join(c.MIARemarks, " "))
			}
			for _, d := range []struct {
				q string
				d x12.Date
			}{{"232", c.StatementFrom}, {"233", c.StatementTo}, {"050", c.Received}, {"036", c.CoverageExpiration}} {
				if !d.d.IsZero() {
					p(1, "DTM*%s %s", d.q, d.d)
				}
			}
			for _, ref := range c.Refs {
				p(1, "REF %s=%s", ref.Qualifier, ref.Value)
			}
			for _, a := range c.Amounts {
				p(1, "AMT %s %s", a.Qualifier, money(a.Cents))
			}
			for _, q := range c.Quantities {
				p(1, "QTY %s %s", q.Qualifier, q.Value)
			}
			for _, l := range c.Lines {
				p(1, "SVC %s charge %s paid %s units %s rev %s", l.Procedure, money(l.ChargeCents), money(l.PaidCents), l.Units, l.RevenueCode)
				if l.OriginalProcedure != nil {
					p(2, "original %s", l.OriginalProcedure)
				}
				if l.OriginalUnits != "" {
					p(2, "original units %s", l.OriginalUnits)
				}
				for _, d := range []struct {
					q string
					d x12.Date
				}{{"472", l.ServiceDate}, {"150", l.ServiceFrom}, {"151", l.ServiceTo}} {
					if !d.d.IsZero() {
						p(2, "DTM*%s %s", d.q, d.d)
					}
				}
				for _, a := range l.Adjustments {
					p(2, "CAS %s-%s %s %s", a.Group, a.Reason, money(a.AmountCents), a.Quantity)
				}
				for _, ref := range l.Refs {
					p(2, "REF %s=%s", ref.Qualifier, ref.Value)
				}
				for _, a := range l.Amounts {
					p(2, "AMT %s %s", a.Qualifier, money(a.Cents))
				}
				for _, q := range l.Quantities {
					p(2, "QTY %s %s", q.Qualifier, q.Value)
				}
				if len(l.Remarks) > 0 {
					p(2, "LQ*HE %s", strings.Join(l.Remarks, " "))
				}
				if len(l.RejectCodes) > 0 {
					p(2, "LQ*RX %s", strings.Join(l.RejectCodes, " "))
				}
			}
		}
		for _, plb := range r.ProviderAdjustments {
			p(0, "PLB %s %s", plb.ProviderID, plb.FiscalPeriod)
			for _, it := range plb.Items {
				p(1, "%s:%s %s", it.Reason, it.Reference, money(it.AmountCents))
			}
		}
		for _, w := range r.Warnings {
			p(0, "warning: %s", w)
		}
	}
	return b.String()
}
