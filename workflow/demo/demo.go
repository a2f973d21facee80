// Package demo makes a realistic data set for trying Reclaim: a clinic's denied 97026
// (infrared therapy) lines across Medicare, a Medicare Advantage plan, two commercial
// payers and a Medicaid plan, with the CARC and RARC mixes each payer really sends, and a
// small team of specialists in the default queues. It posts through the same ingest path
// as the API, so the demo is triaged like real work.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/rules"
)

// Options shape the demo data set.
type Options struct {
	// Lines is how many denied lines to post. Default 300.
	Lines int
	// Today is the date the data is arranged around: services in the seven months before
	// it, so deadlines are near, far and a few already passed. Default: the current date.
	Today time.Time
	// Seed makes the data set reproducible. Default 97026.
	Seed uint64
}

// Summary says what the demo posted.
type Summary struct {
	Lines       int
	Specialists []string
}

type payer struct {
	id, name string
	kind     rules.PayerKind
	// billed is the range of the clinic's charge for 97026 with this payer, in cents.
	billedMin, billedMax int64
	scenarios            []scenario
}

// scenario is one way a payer denies 97026, with how often it happens (weight).
type scenario struct {
	weight      int
	adjustments []workflow.AdjustmentInput // amounts are filled in from the charge
	remarks     []string
	diagnoses   [][]string
	modifiers   []string
	units       int
	taxonomy    string
	paidPart    bool // the payer paid part; the adjustment takes the rest
}

var (
	musculoskeletal = [][]string{
		{"M54.50"}, {"M54.2"}, {"M25.511"}, {"M62.830"}, {"M79.18", "M54.50"}, {"M25.561"}, {"M54.16"},
	}
	neuropathy = [][]string{{"E11.42"}, {"G62.9"}, {"G57.91"}, {"E11.40", "M79.671"}}
	ulcers     = [][]string{{"L97.419"}, {"L89.153"}, {"E11.621", "L97.519"}}
)

func co(reason string) workflow.AdjustmentInput {
	return workflow.AdjustmentInput{Group: "CO", Reason: reason}
}
func pr(reason string) workflow.AdjustmentInput {
	return workflow.AdjustmentInput{Group: "PR", Reason: reason}
}
func pi(reason string) workflow.AdjustmentInput {
	return workflow.AdjustmentInput{Group: "PI", Reason: reason}
}

var payers = []payer{
	{
		id: "noridian-je-partb", name: "Noridian JE Part B (Medicare)", kind: rules.Medicare,
		billedMin: 2500, billedMax: 3500,
		scenarios: []scenario{
			{weight: 14, adjustments: []workflow.AdjustmentInput{co("50")}, remarks: []string{"N386"}, diagnoses: neuropathy, modifiers: []string{"GP"}},
			{weight: 5, adjustments: []workflow.AdjustmentInput{co("50")}, remarks: []string{"N386"}, diagnoses: ulcers, modifiers: []string{"GP", "GA"}},
			{weight: 10, adjustments: []workflow.AdjustmentInput{co("50")}, remarks: []string{"N115"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 9, adjustments: []workflow.AdjustmentInput{co("4")}, remarks: []string{"N822"}, diagnoses: musculoskeletal},
			{weight: 4, adjustments: []workflow.AdjustmentInput{co("96")}, remarks: []string{"N425"}, diagnoses: musculoskeletal, taxonomy: "111N00000X"},
			{weight: 3, adjustments: []workflow.AdjustmentInput{co("29")}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 3, adjustments: []workflow.AdjustmentInput{co("16")}, remarks: []string{"MA130"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 5, adjustments: []workflow.AdjustmentInput{co("97")}, remarks: []string{"M80"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 4, adjustments: []workflow.AdjustmentInput{co("151")}, remarks: []string{"N362"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}, units: 2},
			{weight: 4, adjustments: []workflow.AdjustmentInput{co("16")}, remarks: []string{"N465"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 2, adjustments: []workflow.AdjustmentInput{co("18")}, remarks: []string{"N522"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 3, adjustments: []workflow.AdjustmentInput{co("45"), pr("1")}, diagnoses: musculoskeletal, modifiers: []string{"GP"}, paidPart: true},
		},
	},
	{
		id: "humana-gold-plus", name: "Humana Gold Plus (Medicare Advantage)", kind: rules.MedicareAdvantage,
		billedMin: 2500, billedMax: 3500,
		scenarios: []scenario{
			{weight: 6, adjustments: []workflow.AdjustmentInput{co("50")}, remarks: []string{"N661", "N887"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 5, adjustments: []workflow.AdjustmentInput{co("197")}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 3, adjustments: []workflow.AdjustmentInput{co("4")}, remarks: []string{"N822"}, diagnoses: musculoskeletal},
			{weight: 3, adjustments: []workflow.AdjustmentInput{co("16")}, remarks: []string{"N465"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 2, adjustments: []workflow.AdjustmentInput{co("50")}, remarks: []string{"N386"}, diagnoses: neuropathy, modifiers: []string{"GP"}},
		},
	},
	{
		id: "aetna-ppo", name: "Aetna PPO", kind: rules.Commercial,
		billedMin: 2000, billedMax: 4000,
		scenarios: []scenario{
			{weight: 12, adjustments: []workflow.AdjustmentInput{co("55")}, remarks: []string{"N623"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 5, adjustments: []workflow.AdjustmentInput{co("56")}, diagnoses: neuropathy, modifiers: []string{"GP"}},
			{weight: 5, adjustments: []workflow.AdjustmentInput{co("97")}, remarks: []string{"M15"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 4, adjustments: []workflow.AdjustmentInput{co("151")}, remarks: []string{"N853"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 3, adjustments: []workflow.AdjustmentInput{co("16")}, remarks: []string{"N466"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 3, adjustments: []workflow.AdjustmentInput{pi("22")}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 3, adjustments: []workflow.AdjustmentInput{co("45"), pr("2")}, diagnoses: musculoskeletal, modifiers: []string{"GP"}, paidPart: true},
		},
	},
	{
		id: "uhc-choice-plus", name: "UnitedHealthcare Choice Plus", kind: rules.Commercial,
		billedMin: 2000, billedMax: 4000,
		scenarios: []scenario{
			{weight: 8, adjustments: []workflow.AdjustmentInput{co("55")}, remarks: []string{"N623"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 5, adjustments: []workflow.AdjustmentInput{co("197")}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 4, adjustments: []workflow.AdjustmentInput{co("234")}, remarks: []string{"N20"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 3, adjustments: []workflow.AdjustmentInput{co("11")}, remarks: []string{"N657"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 3, adjustments: []workflow.AdjustmentInput{co("27")}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 2, adjustments: []workflow.AdjustmentInput{co("4")}, remarks: []string{"N822"}, diagnoses: musculoskeletal},
		},
	},
	{
		id: "molina-medicaid", name: "Molina Healthcare (Medicaid)", kind: rules.Medicaid,
		billedMin: 1500, billedMax: 2500,
		scenarios: []scenario{
			{weight: 5, adjustments: []workflow.AdjustmentInput{co("197")}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 4, adjustments: []workflow.AdjustmentInput{co("119")}, remarks: []string{"N640"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 3, adjustments: []workflow.AdjustmentInput{co("16")}, remarks: []string{"N485"}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 2, adjustments: []workflow.AdjustmentInput{co("31")}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
			{weight: 2, adjustments: []workflow.AdjustmentInput{co("204")}, diagnoses: musculoskeletal, modifiers: []string{"GP"}},
		},
	},
}

// payerShare is how the clinic's denials split across payers, Medicare first.
var payerShare = []int{40, 12, 20, 16, 12}

// team is the demo's denial specialists and the queues each works.
var team = []workflow.UserSpec{
	{Name: "alice", Role: workflow.RoleSpecialist, Queues: []string{"clinical", "documentation"}},
	{Name: "ben", Role: workflow.RoleSpecialist, Queues: []string{"coding", "coverage"}},
	{Name: "carla", Role: workflow.RoleSpecialist, Queues: []string{"clinical", "review"}},
	{Name: "dev", Role: workflow.RoleSpecialist, Queues: []string{"coverage", "documentation", "review"}},
	{Name: "maria", Role: workflow.RoleManager, Queues: []string{}},
}

// Load creates the team and posts the demo lines through the ingest path.
func Load(ctx context.Context, svc *workflow.Service, opts Options) (Summary, error) {
	if opts.Lines <= 0 {
		opts.Lines = 300
	}
	if opts.Today.IsZero() {
		opts.Today = rules.Today(time.Now(), time.UTC)
	}
	if opts.Seed == 0 {
		opts.Seed = 97026
	}
	actor := workflow.System("demo")
	var sum Summary
	for _, u := range team {
		if err := svc.EnsureUser(ctx, actor, u); err != nil {
			return sum, fmt.Errorf("error creating demo user %s: %w", u.Name, err)
		}
		sum.Specialists = append(sum.Specialists, u.Name)
	}

	lines := Lines(opts)
	for batch := range slices.Chunk(lines, 100) {
		if _, err := svc.Ingest(ctx, actor, batch); err != nil {
			return sum, fmt.Errorf("error posting demo lines: %w", err)
		}
		sum.Lines += len(batch)
	}
	return sum, nil
}

// Lines makes the demo's denied lines without posting them.
func Lines(opts Options) []workflow.DenialInput {
	if opts.Seed == 0 {
		opts.Seed = 97026
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x97026))
	clinicNPIs := []string{npi(rng), npi(rng), npi(rng)}
	chiroNPI := npi(rng)

	lines := make([]workflow.DenialInput, 0, opts.Lines)
	for i := range opts.Lines {
		p := payers[pick(rng, payerShare)]
		weights := make([]int, len(p.scenarios))
		for j, sc := range p.scenarios {
			weights[j] = sc.weight
		}
		sc := p.scenarios[pick(rng, weights)]

		service := rules.AddDays(opts.Today, -(40 + rng.IntN(200)))
		remit := rules.AddDays(service, 12+rng.IntN(25))
		billed := p.billedMin + rng.Int64N(p.billedMax-p.billedMin+1)
		billed -= billed % 25 // charges are round numbers
		paid := int64(0)
		adjs := slices.Clone(sc.adjustments)
		if sc.paidPart {
			// Paid at the fee schedule: contractual write-down, then cost sharing.
			allowed := billed * 30 / 100
			share := allowed * 20 / 100
			paid = allowed - share
			adjs[0].AmountCents = billed - allowed
			adjs[1].AmountCents = share
		} else {
			adjs[0].AmountCents = billed
		}
		units := max(sc.units, 1)
		provider := workflow.ProviderInput{NPI: clinicNPIs[rng.IntN(len(clinicNPIs))], Taxonomy: "225100000X"}
		if sc.taxonomy != "" {
			provider = workflow.ProviderInput{NPI: chiroNPI, Taxonomy: sc.taxonomy}
		}
		claim := fmt.Sprintf("CLM%s%05d", service.Format("0601"), i+1)
		in := workflow.DenialInput{
			SourceID:       fmt.Sprintf("demo-%s-1", claim),
			Claim:          workflow.ClaimInput{ID: claim, PayerClaimNumber: fmt.Sprintf("%d%09d", 20+rng.IntN(5), rng.IntN(1_000_000_000))},
			Payer:          workflow.PayerInput{ID: p.id, Name: p.name, Kind: string(p.kind)},
			Patient:        workflow.PatientInput{AccountNumber: fmt.Sprintf("PA%06d", 100000+rng.IntN(900000)), MemberID: fmt.Sprintf("M%09d", rng.IntN(1_000_000_000))},
			Provider:       provider,
			ServiceDate:    service.Format(rules.DateLayout),
			ProcedureCode:  "97026",
			Modifiers:      sc.modifiers,
			Units:          units,
			DiagnosisCodes: sc.diagnoses[rng.IntN(len(sc.diagnoses))],
			BilledCents:    billed * int64(units),
			PaidCents:      paid,
			Adjustments:    adjs,
			Remarks:        sc.remarks,
			RemitDate:      remit.Format(rules.DateLayout),
		}
		if units > 1 {
			for k := range in.Adjustments {
				in.Adjustments[k].AmountCents *= int64(units)
			}
		}
		lines = append(lines, in)
	}
	return lines
}

func pick(rng *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := rng.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// npi makes a random NPI with a valid check digit.
func npi(rng *rand.Rand) string {
	base := fmt.Sprintf("1%08d", rng.IntN(100_000_000))
	for d := '0'; d <= '9'; d++ {
		if workflow.ValidNPI(base + string(d)) {
			return base + string(d)
		}
	}
	panic("every nine digits have one NPI check digit")
}
