package x12_test

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/reclaimhq/reclaim/x12"
)

// Read a remittance file transaction by transaction and list the 97026
// lines that were paid nothing, with their adjustments and remarks. (Which
// of them are denials is for Reclaim's rules to say: PR-1 is a
// deductible, not a denial.)
func Example() {
	f, err := os.Open("testdata/medicare-97026-denials.835")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()

	r := x12.NewReader(f)
	for {
		rem, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			log.Fatal(err) // a *x12.SyntaxError names the segment and element
		}
		fmt.Printf("%s paid %s on %s\n", rem.Payer.Name, x12.FormatAmount(rem.Payment.TotalCents), rem.Date())
		for _, c := range rem.Claims {
			for i, l := range c.Lines {
				if l.Procedure.Code != "97026" || l.PaidCents != 0 {
					continue
				}
				fmt.Printf("  %s %s %s", c.PatientControlNumber, c.LineDate(i), l.Procedure)
				for _, a := range l.Adjustments {
					fmt.Printf(" %s-%s %s", a.Group, a.Reason, x12.FormatAmount(a.AmountCents))
				}
				fmt.Println("", l.Remarks)
			}
		}
	}
	// Output:
	// NORIDIAN JE PART B paid 29.91 on 2026-06-12
	//   MCR-1001 2026-05-04 HC:97026:GP CO-50 35.00 [N386]
	//   MCR-1002 2026-05-05 HC:97026 CO-4 35.00 [N822]
	//   MCR-1003 2026-05-07 HC:97026:GP CO-96 35.00 [N425]
	//   MCR-1004 2025-03-10 HC:97026:GP CO-29 35.00 []
	//   MCR-1005 2026-05-12 HC:97026:GP CO-16 35.00 [N290]
	//   MCR-1006 2026-05-14 HC:97026:GP CO-45 28.21 PR-1 6.79 []
}

// Parse reads a whole file and returns every remittance, or none.
func ExampleParse() {
	data, err := os.ReadFile("testdata/linuxforhealth/tertiary-payment.835")
	if err != nil {
		log.Fatal(err)
	}
	rems, warnings, err := x12.Parse(data)
	if err != nil {
		log.Fatal(err)
	}
	l := rems[0].Claims[0].Lines[0]
	fmt.Println(l.Procedure, x12.FormatAmount(l.ChargeCents), x12.FormatAmount(l.PaidCents))
	for _, w := range warnings {
		fmt.Println(w.Segment, w.ID, w.Element)
	}
	// Output:
	// HC:24599 1766.50 187.50
	// 4 BPR 15
	// 20 SVC 1
}

// Amounts are exact cents.
func ExampleParseAmount() {
	for _, s := range []string{"34", "-9.00", ".5", "1,000"} {
		cents, err := x12.ParseAmount(s)
		fmt.Println(cents, err)
	}
	// Output:
	// 3400 <nil>
	// -900 <nil>
	// 50 <nil>
	// 0 x12: invalid amount "1,000"
}
