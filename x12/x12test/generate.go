// Package x12test generates valid, deterministic X12 835 remittances for
// tests and benchmarks: the x12 parser's benchmark, and the importer's
// large-file tests elsewhere in Reclaim. Nothing here is for production.
//
// A generated file has one interchange (ISA/IEA) and one functional group
// (GS/GE) holding several transaction sets (ST/SE), alternating between a
// Medicare Part B payer and a commercial payer. Each claim has one or more
// service lines of 97026 and its neighbour codes (97010, 97012, 97014,
// 97035, 97110, 97140), each line either paid (CO-45 contractual write-down
// and PR-2 coinsurance, AMT*B6 allowed) or denied (a therapy denial such as
// CO-50 with N386, CO-4 with N822, PI-16 with N465). Every segment count,
// control number and balance is right, so a correct parser reports no
// warnings.
package x12test

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/reclaimhq/reclaim/x12"
)

// Options says what to generate. The zero Options is a small file of 100
// lines; every field has a default.
type Options struct {
	// Seed makes the output deterministic: the same Options give the same
	// bytes. Default 1.
	Seed uint64
	// Lines is the total number of service lines (SVC). Default 100.
	Lines int
	// MaxLinesPerClaim bounds the lines of one claim; each claim gets 1 to
	// MaxLinesPerClaim lines. Default 3.
	MaxLinesPerClaim int
	// ClaimsPerTransaction is how many claims one ST/SE transaction set
	// holds before the next one starts. Default 500.
	ClaimsPerTransaction int
	// DeniedPercent is the share of lines that are denied, 0 to 100.
	// Default 30; a negative value means no denials.
	DeniedPercent int
	// IDPrefix starts every patient control number (CLP01) and payer claim
	// number (CLP07), so that files generated with different prefixes share
	// no claims. Default "G".
	IDPrefix string
	// NoNewlines leaves out the newline that otherwise follows every
	// segment terminator.
	NoNewlines bool
}

// Summary describes a generated file, for assertions.
type Summary struct {
	// Transactions is the number of ST/SE transaction sets.
	Transactions int
	// Claims is the number of claims (CLP).
	Claims int
	// Lines is the number of service lines (SVC).
	Lines int
	// DeniedLines is the number of lines paid nothing with a denial CAS.
	DeniedLines int
	// ChargeCents is the sum of the line charges.
	ChargeCents int64
	// PaidCents is the sum of the line payments (and of BPR02).
	PaidCents int64
	// DeniedCents is the sum of the charges of denied lines.
	DeniedCents int64
}

// Generate returns a valid 835 built from opts.
func Generate(opts Options) []byte {
	b, _ := GenerateSummary(opts)
	return b
}

// GenerateSummary returns a valid 835 built from opts and what it holds.
func GenerateSummary(opts Options) ([]byte, Summary) {
	g := newGenerator(opts)
	g.run()
	return g.buf, g.sum
}

// NPI returns a Luhn-valid national provider identifier whose first nine
// digits are 1 followed by n modulo 100,000,000, zero-padded; the check
// digit follows the NPI rule (Luhn over the prefix 80840 and the nine
// digits).
func NPI(n int) string {
	n %= 100_000_000
	if n < 0 {
		n = -n
	}
	body := "1" + pad(strconv.Itoa(n), 8)
	return body + string(rune('0'+npiCheckDigit(body)))
}

// ValidNPI reports whether s is ten digits with a correct NPI check digit.
func ValidNPI(s string) bool {
	if len(s) != 10 {
		return false
	}
	for i := 0; i < 10; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return int(s[9]-'0') == npiCheckDigit(s[:9])
}

// npiCheckDigit computes the check digit of nine NPI digits: Luhn with
// the card issuer prefix 80840, whose doubled-digit sum is the constant 24.
func npiCheckDigit(body string) int {
	sum := 24
	for i := 0; i < 9; i++ {
		d := int(body[8-i] - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10 - sum%10) % 10
}

func pad(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}

type procedure struct {
	code   string
	charge int64 // cents
	allow  int64 // allowed, cents
}

// procedures are 97026 (drawn most often) and its neighbours, with demo
// charges and allowed amounts.
var procedures = []procedure{
	{"97026", 3500, 679},
	{"97026", 3500, 679},
	{"97026", 3500, 679},
	{"97010", 2500, 0},
	{"97012", 4000, 1180},
	{"97014", 3000, 1020},
	{"97035", 3800, 1250},
	{"97110", 9500, 2890},
	{"97140", 8000, 2680},
}

type denial struct {
	group, reason, remark string
}

var denials = []denial{
	{"CO", "50", "N386"},
	{"CO", "4", "N822"},
	{"CO", "96", "N425"},
	{"CO", "55", "N623"},
	{"CO", "97", "M80"},
	{"CO", "151", "N362"},
	{"PI", "16", "N465"},
	{"CO", "197", ""},
	{"CO", "29", ""},
}

type payer struct {
	name, id, filing, address, city, state, zip string
}

var payers = []payer{
	{"NORIDIAN JE PART B", "01112", "MB", "PO BOX 6774", "FARGO", "ND", "581086774"},
	{"SUMMIT HEALTH PLAN", "SHP01", "CI", "100 SUMMIT WAY", "DENVER", "CO", "802021234"},
}

type generator struct {
	opts  Options
	rng   *rand.Rand
	buf   []byte
	sum   Summary
	nl    bool
	segs  int // segments in the current transaction
	claim int // claims generated so far
	lines int // lines generated so far
}

func newGenerator(o Options) *generator {
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Lines <= 0 {
		o.Lines = 100
	}
	if o.MaxLinesPerClaim <= 0 {
		o.MaxLinesPerClaim = 3
	}
	if o.ClaimsPerTransaction <= 0 {
		o.ClaimsPerTransaction = 500
	}
	switch {
	case o.DeniedPercent == 0:
		o.DeniedPercent = 30
	case o.DeniedPercent < 0:
		o.DeniedPercent = 0
	case o.DeniedPercent > 100:
		o.DeniedPercent = 100
	}
	if o.IDPrefix == "" {
		o.IDPrefix = "G"
	}
	return &generator{
		opts: o,
		rng:  rand.New(rand.NewPCG(o.Seed, 0x835)),
		buf:  make([]byte, 0, o.Lines*330+1024),
		nl:   !o.NoNewlines,
	}
}

// seg writes one segment from its elements.
func (g *generator) seg(elems ...string) {
	for i, e := range elems {
		if i > 0 {
			g.buf = append(g.buf, '*')
		}
		g.buf = append(g.buf, e...)
	}
	g.buf = append(g.buf, '~')
	if g.nl {
		g.buf = append(g.buf, '\n')
	}
	g.segs++
}

func money(c int64) string { return x12.FormatAmount(c) }

var start = time.Date(2026, time.January, 5, 0, 0, 0, 0, time.UTC)

func day(n int) string { return start.AddDate(0, 0, n).Format("20060102") }

func (g *generator) run() {
	g.seg("ISA", "00", "          ", "00", "          ", "ZZ", "RECLAIMGENPAYER", "ZZ", "RECLAIMGENPROV ",
		"260915", "1200", "^", "00501", "000000001", "0", "T", ":")
	g.seg("GS", "HP", "RECLAIMGENPAYER", "RECLAIMGENPROV", "20260915", "1200", "1", "X", "005010X221A1")
	for g.lines < g.opts.Lines {
		g.transaction()
	}
	g.seg("GE", strconv.Itoa(g.sum.Transactions), "1")
	g.seg("IEA", "1", "000000001")
}

type line struct {
	proc      procedure
	mods      string
	units     string
	date      string
	denied    *denial
	paid      int64
	coins     int64
	writeDown int64
}

type claim struct {
	pcn, icn string
	lines    []line
	charge   int64
	paid     int64
	patient  int64
}

func (g *generator) transaction() {
	g.sum.Transactions++
	n := g.sum.Transactions
	p := payers[(n-1)%len(payers)]
	// Build the claims first: BPR02 carries their total.
	var claims []claim
	var total int64
	for len(claims) < g.opts.ClaimsPerTransaction && g.lines < g.opts.Lines {
		c := g.makeClaim()
		total += c.paid
		claims = append(claims, c)
	}
	g.segs = 0
	ctl := pad(strconv.Itoa(n), 4)
	g.seg("ST", "835", ctl, "005010X221A1")
	payDate := day(250 + n%30)
	if total > 0 {
		g.seg("BPR", "I", money(total), "C", "ACH", "CCP", "01", "011900445", "DA", "0001234567", "1"+p.id+"0000",
			"", "01", "021000021", "DA", "8877665544", payDate)
	} else {
		g.seg("BPR", "H", "0.00", "C", "NON", "", "", "", "", "", "", "", "", "", "", "", payDate)
	}
	g.seg("TRN", "1", "EFT"+ctl+strconv.Itoa(int(g.opts.Seed%1000)), "1"+p.id+"0000")
	g.seg("DTM", "405", payDate)
	g.seg("N1", "PR", p.name)
	g.seg("N3", p.address)
	g.seg("N4", p.city, p.state, p.zip)
	g.seg("REF", "2U", p.id)
	g.seg("N1", "PE", "INFRARED PHYSICAL THERAPY GROUP", "XX", NPI(4200))
	g.seg("N3", "12 CLINIC ROAD")
	g.seg("N4", "BISMARCK", "ND", "585011234")
	g.seg("REF", "TJ", "451234567")
	g.seg("LX", "1")
	for i := range claims {
		g.writeClaim(&claims[i], p)
	}
	g.seg("SE", strconv.Itoa(g.segs+1), ctl)
}

func (g *generator) makeClaim() claim {
	g.claim++
	c := claim{
		pcn: g.opts.IDPrefix + "PCN" + pad(strconv.Itoa(g.claim), 7),
		icn: g.opts.IDPrefix + "ICN" + pad(strconv.Itoa(g.claim*7+1000000), 9),
	}
	n := 1 + g.rng.IntN(g.opts.MaxLinesPerClaim)
	date := day(g.claim % 240)
	for i := 0; i < n && g.lines < g.opts.Lines; i++ {
		g.lines++
		l := line{proc: procedures[g.rng.IntN(len(procedures))], mods: "GP", units: "1", date: date}
		if l.proc.allow == 0 && g.opts.DeniedPercent == 0 {
			l.proc = procedures[0] // 97010 is never paid; leave it out when nothing may be denied
		}
		if g.rng.IntN(100) < g.opts.DeniedPercent || l.proc.allow == 0 {
			d := denials[g.rng.IntN(len(denials))]
			l.denied = &d
			if d.reason == "4" {
				l.mods = "" // the missing GP that CARC 4 is about
			}
			if d.reason == "151" {
				l.units = "2"
			}
			g.sum.DeniedLines++
			g.sum.DeniedCents += l.proc.charge
		} else {
			l.coins = l.proc.allow / 5
			l.paid = l.proc.allow - l.coins
			l.writeDown = l.proc.charge - l.proc.allow
		}
		c.lines = append(c.lines, l)
		c.charge += l.proc.charge
		c.paid += l.paid
		c.patient += l.coins
		g.sum.Lines++
		g.sum.ChargeCents += l.proc.charge
		g.sum.PaidCents += l.paid
	}
	g.sum.Claims++
	return c
}

func (g *generator) writeClaim(c *claim, p payer) {
	status := "1"
	if c.paid == 0 {
		status = "4"
	}
	g.seg("CLP", c.pcn, status, money(c.charge), money(c.paid), money(c.patient), p.filing, c.icn, "11", "1")
	g.seg("NM1", "QC", "1", "PATIENT", "GEN", "", "", "", "MI", "M"+c.pcn)
	g.seg("NM1", "82", "1", "THERAPIST", "PAT", "", "", "", "XX", NPI(5000+g.claim%50))
	g.seg("DTM", "050", c.lines[0].date)
	for i := range c.lines {
		l := &c.lines[i]
		comp := "HC:" + l.proc.code
		if l.mods != "" {
			comp += ":" + l.mods
		}
		g.seg("SVC", comp, money(l.proc.charge), money(l.paid), "", l.units)
		g.seg("DTM", "472", l.date)
		if l.denied != nil {
			g.seg("CAS", l.denied.group, l.denied.reason, money(l.proc.charge))
		} else {
			g.seg("CAS", "CO", "45", money(l.writeDown))
			g.seg("CAS", "PR", "2", money(l.coins))
		}
		g.seg("REF", "6R", c.pcn+"L"+strconv.Itoa(i+1))
		if l.denied == nil {
			g.seg("AMT", "B6", money(l.proc.allow))
		} else if l.denied.remark != "" {
			g.seg("LQ", "HE", l.denied.remark)
		}
	}
}
