package x12test_test

import (
	"fmt"

	"github.com/reclaimhq/reclaim/x12"
	"github.com/reclaimhq/reclaim/x12/x12test"
)

// A test that needs a large, valid remittance file generates one.
func ExampleGenerateSummary() {
	data, sum := x12test.GenerateSummary(x12test.Options{Lines: 1000, ClaimsPerTransaction: 200, Seed: 1})
	rems, warnings, err := x12.Parse(data)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(rems) == sum.Transactions, len(warnings))
	fmt.Println(sum.Lines, "lines on", sum.Claims, "claims,", sum.DeniedLines, "denied")
	// Output:
	// true 0
	// 1000 lines on 503 claims, 368 denied
}
