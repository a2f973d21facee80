package rules

import "fmt"

// recoveryPrior is the chance, in percent, that a denial of each category is recovered,
// before any outcome has been recorded: clerical fixes (modifier, coding) usually pay,
// statutory exclusions and late filing almost never do.
var recoveryPrior = map[Category]int{
	Modifier:               85,
	Coding:                 75,
	Documentation:          65,
	CoordinationOfBenefits: 65,
	Eligibility:            55,
	MedicalNecessity:       45,
	Authorization:          40,
	Bundling:               35,
	Frequency:              35,
	Duplicate:              25,
	Other:                  30,
	ProviderEligibility:    20,
	Experimental:           15,
	NonCovered:             10,
	TimelyFiling:           5,
}

// priorWeight is how many recorded outcomes the prior counts as: with fewer outcomes than
// this the prior dominates, with many the record does.
const priorWeight = 10

// RecoveryChance is the chance, in percent, that a denial of category c is recovered, given
// the outcomes recorded for its payer and category so far (recovered of resolved).
func RecoveryChance(c Category, recovered, resolved int) (percent int, basis string) {
	prior, ok := recoveryPrior[c]
	if !ok {
		prior = 0
	}
	if resolved <= 0 {
		return prior, fmt.Sprintf("%d%% chance of recovery (prior for %s)", prior, c.Label())
	}
	percent = (prior*priorWeight + 100*recovered + (priorWeight+resolved)/2) / (priorWeight + resolved)
	return percent, fmt.Sprintf("%d%% chance of recovery (%d of %d %s denials of this payer recovered)",
		percent, recovered, resolved, c.Label())
}

// Urgency is how the nearness of a deadline multiplies priority, in quarters.
func Urgency(daysLeft int) (quarters int64, why string) {
	switch {
	case daysLeft <= 7:
		quarters = 12
	case daysLeft <= 14:
		quarters = 8
	case daysLeft <= 30:
		quarters = 6
	default:
		quarters = 4
	}
	switch {
	case daysLeft < 0:
		why = fmt.Sprintf("deadline passed %d days ago", -daysLeft)
	case daysLeft == 0:
		why = "deadline today"
	default:
		why = fmt.Sprintf("deadline in %d days", daysLeft)
	}
	if quarters != 4 {
		why += fmt.Sprintf(" (×%s)", quartersString(quarters))
	}
	return quarters, why
}

func quartersString(q int64) string {
	if q%4 == 0 {
		return fmt.Sprint(q / 4)
	}
	return fmt.Sprintf("%d.%d", q/4, q%4*25)
}

// Priority is how a task ranks in its queue: the money expected back (denied amount times
// the chance of recovery, in cents) multiplied by the urgency of the nearest deadline. The
// reasons say each factor, so a specialist can see why a task came first.
func Priority(deniedCents int64, chancePercent int, chanceBasis string, daysLeft int) (int64, []string) {
	urgency, why := Urgency(daysLeft)
	expected := deniedCents * int64(chancePercent) / 100
	points := expected * urgency / 4
	return points, []string{
		fmt.Sprintf("%s denied", FormatCents(deniedCents)),
		chanceBasis,
		why,
	}
}
