package x12_test

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/x12"
	"github.com/reclaimhq/reclaim/x12/x12test"
)

const isaLine = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260101*1200*^*00501*000000001*0*P*:~"

// bpr16 is a check payment of amount dated 2026-01-15, in BPR16.
func bpr16(amount string) string {
	return strings.Join(append([]string{"BPR", "I", amount, "C", "CHK"}, append(make([]string, 11), "20260115")...), "*")
}

// claimBody is a valid transaction body (between ST and SE): one paid
// 97026 line. With ISA, GS and ST before it, the CLP is segment 9 and the
// SVC segment 11.
var claimBody = []string{
	bpr16("35.00"),
	"TRN*1*CHK1001*1123456789",
	"N1*PR*PAYER",
	"N1*PE*CLINIC*XX*1245319599",
	"LX*1",
	"CLP*PCN1*1*35.00*35.00**MB*ICN1*11*1",
	"NM1*QC*1*DOE*JANE****MI*M1",
	"SVC*HC:97026:GP*35.00*35.00**1",
	"DTM*472*20260105",
}

// file wraps transaction bodies in ST/SE (with right counts), one GS and
// one ISA, with "~\n" after each segment.
func file(bodies ...[]string) string {
	var b strings.Builder
	b.WriteString(isaLine + "\n")
	b.WriteString("GS*HP*SENDER*RECEIVER*20260101*1200*1*X*005010X221A1~\n")
	for i, body := range bodies {
		ctl := string(rune('1'+i)) + "001"
		b.WriteString("ST*835*" + ctl + "*005010X221A1~\n")
		for _, s := range body {
			b.WriteString(s + "~\n")
		}
		b.WriteString("SE*" + itoa(len(body)+2) + "*" + ctl + "~\n")
	}
	b.WriteString("GE*" + itoa(len(bodies)) + "*1~\n")
	b.WriteString("IEA*1*000000001~\n")
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

// with returns claimBody with segment i (0-based) replaced, or, when seg
// is "", removed.
func with(i int, seg string) []string {
	body := append([]string(nil), claimBody...)
	if seg == "" {
		return append(body[:i], body[i+1:]...)
	}
	body[i] = seg
	return body
}

// syntaxError asserts err is a *SyntaxError and returns it.
func syntaxError(t *testing.T, err error) *x12.SyntaxError {
	t.Helper()
	var se *x12.SyntaxError
	require.ErrorAs(t, err, &se)
	return se
}

func TestValidMinimalFile(t *testing.T) {
	t.Parallel()
	rems, warnings, err := parseString(file(claimBody))
	require.NoError(t, err)
	require.Empty(t, warnings)
	require.Len(t, rems, 1)
	r := rems[0]
	require.Equal(t, "1001", r.ControlNumber)
	require.Equal(t, "005010X221A1", r.ImplementationRef)
	require.Equal(t, x12.Delimiters{Element: '*', Repetition: '^', Component: ':', Segment: '~'}, r.Interchange.Delimiters)
	require.Equal(t, "SENDER", r.Interchange.SenderID)
	require.Equal(t, "RECEIVER", r.Interchange.ReceiverID)
	require.Equal(t, x12.NewDate(2026, time.January, 1), r.Interchange.Date)
	require.Equal(t, "P", r.Interchange.Usage)
	require.Equal(t, "005010X221A1", r.Group.Version)
	require.Equal(t, 9, r.Claims[0].Segment)
	require.Equal(t, 11, r.Claims[0].Lines[0].Segment)
	require.Equal(t, "HC:97026:GP", r.Claims[0].Lines[0].Procedure.String())
}

func TestDelimitersComeFromISA(t *testing.T) {
	t.Parallel()
	// '|' elements, '>' components, '{' repetitions, newline-terminated
	// segments with CRLF line ends.
	s := file(claimBody)
	s = strings.ReplaceAll(s, "*", "|")
	s = strings.ReplaceAll(s, "HC:97026:GP", "HC>97026>GP")
	s = strings.Replace(s, "|^|", "|{|", 1)
	s = strings.Replace(s, "|P|:~", "|P|>~", 1)
	s = strings.ReplaceAll(s, "~\n", "\r\n")
	rems, warnings, err := parseString(s)
	require.NoError(t, err)
	require.Empty(t, warnings)
	require.Equal(t, x12.Delimiters{Element: '|', Repetition: '{', Component: '>', Segment: '\r'}, rems[0].Interchange.Delimiters)
	require.Equal(t, []string{"GP"}, rems[0].Claims[0].Lines[0].Procedure.Modifiers)
}

func TestToleratesBOMWhitespaceAndNoNewlines(t *testing.T) {
	t.Parallel()
	want, _, err := parseString(file(claimBody))
	require.NoError(t, err)
	for name, s := range map[string]string{
		"bom":         "\xef\xbb\xbf" + file(claimBody),
		"leading":     "\n\n  \t" + file(claimBody),
		"no newlines": strings.ReplaceAll(file(claimBody), "~\n", "~"),
		"crlf":        strings.ReplaceAll(file(claimBody), "~\n", "~\r\n"),
		"blank lines": strings.ReplaceAll(file(claimBody), "~\n", "~\n\n"),
		"padding":     file(claimBody) + "\x00\x00\x1a\n",
	} {
		got, warnings, err := parseString(s)
		require.NoError(t, err, name)
		require.Empty(t, warnings, name)
		require.Equal(t, describe(want), describe(got), name)
	}
}

func TestMissingFinalTerminatorIsAWarning(t *testing.T) {
	t.Parallel()
	s := strings.TrimSuffix(file(claimBody), "~\n")
	rems, warnings, err := parseString(s)
	require.NoError(t, err)
	require.Len(t, rems, 1)
	require.Equal(t, []string{"segment 15 (IEA): last segment has no segment terminator"}, warningStrings(warnings))
}

func TestSeveralEnvelopes(t *testing.T) {
	t.Parallel()
	// Two interchanges with different delimiters; the first has two
	// transaction sets.
	first := file(claimBody, with(5, "CLP*PCN2*1*35.00*35.00**MB*ICN2*11*1"))
	second := strings.ReplaceAll(file(claimBody), "*", "|")
	second = strings.Replace(second, "000000001", "000000002", 2)
	r := x12.NewReader(strings.NewReader(first + second))
	var pcns []string
	var ics []*x12.Interchange
	for {
		rem, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		pcns = append(pcns, rem.Claims[0].PatientControlNumber)
		ics = append(ics, rem.Interchange)
	}
	require.Equal(t, []string{"PCN1", "PCN2", "PCN1"}, pcns)
	require.Same(t, ics[0], ics[1])
	require.Equal(t, "000000002", ics[2].ControlNumber)
	require.Equal(t, byte('|'), ics[2].Delimiters.Element)
	require.Empty(t, r.Warnings())
	_, err := r.Next()
	require.ErrorIs(t, err, io.EOF, "EOF stays EOF")
}

func TestTrailerChecks(t *testing.T) {
	t.Parallel()
	good := file(claimBody)
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"SE01", "SE*11*1001", "SE*10*1001", "x12: segment 13 (SE), element 1: count 10 does not match the 11 segments from ST to SE read"},
		{"SE02", "SE*11*1001", "SE*11*1002", `x12: segment 13 (SE), element 2: control number "1002" does not match ST02 "1001"`},
		{"GE01", "GE*1*1", "GE*2*1", "x12: segment 14 (GE), element 1: count 2 does not match the 1 transaction sets read"},
		{"GE02", "GE*1*1", "GE*1*7", `x12: segment 14 (GE), element 2: control number "7" does not match GS06 "1"`},
		{"IEA01", "IEA*1*000000001", "IEA*3*000000001", "x12: segment 15 (IEA), element 1: count 3 does not match the 1 functional groups read"},
		{"IEA02", "IEA*1*000000001", "IEA*1*000000009", `x12: segment 15 (IEA), element 2: control number "000000009" does not match ISA13 "000000001"`},
		{"SE01 not a number", "SE*11*1001", "SE*x*1001", `x12: segment 13 (SE), element 1: invalid count "x"`},
	} {
		_, _, err := parseString(strings.Replace(good, tc.from, tc.to, 1))
		require.EqualError(t, err, tc.want, tc.name)
		syntaxError(t, err)
	}
}

func TestControlNumberPaddingIsAWarning(t *testing.T) {
	t.Parallel()
	rems, warnings, err := parseString(strings.Replace(file(claimBody), "IEA*1*000000001", "IEA*1*1", 1))
	require.NoError(t, err)
	require.Len(t, rems, 1)
	require.Equal(t, []string{`segment 15 (IEA), element 2: control number "1" differs from ISA13 "000000001" in leading zeros`}, warningStrings(warnings))
	require.Empty(t, rems[0].Warnings, "envelope warnings are on the Reader, not the Remittance")
}

func TestUnknownSegmentsAreSkipped(t *testing.T) {
	t.Parallel()
	body := append(append([]string(nil), claimBody...), "ZZZ*whatever*1", "TS3*1245319599*11*20261231*1*35.00")
	rems, warnings, err := parseString(file(body))
	require.NoError(t, err, "SE01 counts the skipped segments too")
	require.Empty(t, warnings)
	require.Len(t, rems[0].Claims, 1)
}

func TestStructureErrors(t *testing.T) {
	t.Parallel()
	good := file(claimBody)
	for _, tc := range []struct {
		name, input, want string
	}{
		{"empty", "", "x12: empty input: no ISA segment"},
		{"whitespace only", " \n\r\n", "x12: empty input: no ISA segment"},
		{"not X12", "hello world", `x12: segment 1: expected an ISA segment, found "hel"`},
		{"truncated ISA", isaLine[:60], "x12: segment 1 (ISA): truncated ISA: 8 of 16 elements"},
		{"ISA without terminator", isaLine[:104], "x12: segment 1 (ISA), element 16: ISA has no component separator and segment terminator"},
		{"alphanumeric terminator", strings.Replace(good, ":~", ":A", 1), `x12: segment 1 (ISA), element 16: invalid segment terminator 'A'`},
		{"no IEA", strings.TrimSuffix(good, "IEA*1*000000001~\n"), "x12: unexpected end of input: interchange 000000001 has no IEA"},
		{"no GE", good[:strings.Index(good, "GE*")], "x12: unexpected end of input: functional group 1 has no GE"},
		{"no SE", good[:strings.Index(good, "SE*")], "x12: unexpected end of input: transaction set 1001 has no SE"},
		{"ST outside GS", strings.Replace(good, "GS*HP*SENDER*RECEIVER*20260101*1200*1*X*005010X221A1~\n", "", 1), "x12: segment 2 (ST): ST outside a functional group (no GS)"},
		{"not HP", strings.Replace(good, "GS*HP", "GS*FA", 1), `x12: segment 2 (GS), element 1: functional group "FA" is not HP (health care claim payment/advice)`},
		{"not 835", strings.Replace(good, "ST*835", "ST*277", 1), `x12: segment 3 (ST), element 1: transaction set "277" is not an 835`},
		{"GE inside ST", strings.Replace(good, "SE*11*1001~\n", "", 1), "x12: segment 13 (GE): GE before the SE of transaction set 1001"},
		{"CLP outside ST", strings.Replace(good, "GE*1*1~", "CLP*X*1*1*1~\nGE*1*1~", 1), "x12: segment 14 (CLP): segment outside a transaction set (no ST)"},
		{"bad segment ID", strings.Replace(good, "LX*1", "L-X*1", 1), `x12: segment 8: invalid segment ID "L-X"`},
		{"CAS before CLP", file(with(4, "CAS*CO*45*1.00")), "x12: segment 8 (CAS): CAS outside a claim or service line"},
		{"SVC before CLP", file(with(4, "SVC*HC:97026*1*1")), "x12: segment 8 (SVC): SVC outside a claim (no CLP)"},
		{"N1 after CLP", file(append(append([]string(nil), claimBody...), "N1*PE*LATE")), "x12: segment 13 (N1): N1 after the first claim: party loops come before LX and CLP"},
	} {
		rems, _, err := parseString(tc.input)
		require.EqualError(t, err, tc.want, tc.name)
		require.Nil(t, rems, tc.name)
		syntaxError(t, err)
	}
}

func TestValueErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		body []string
		want string
	}{
		{"bad amount", with(5, "CLP*PCN1*1*12.3.4*35.00**MB*ICN1*11*1"), `x12: segment 9 (CLP), element 3: invalid amount "12.3.4"`},
		{"thousands separator", with(5, "CLP*PCN1*1*1,000*35.00**MB*ICN1*11*1"), `x12: segment 9 (CLP), element 3: invalid amount "1,000"`},
		{"fraction of a cent", with(7, "SVC*HC:97026:GP*35.005*35.00**1"), `x12: segment 11 (SVC), element 2: invalid amount "35.005"`},
		{"missing paid", with(5, "CLP*PCN1*1*35.00"), "x12: segment 9 (CLP), element 4: missing amount"},
		{"no patient control number", with(5, "CLP**1*35.00*35.00"), "x12: segment 9 (CLP), element 1: missing patient control number"},
		{"no status", with(5, "CLP*PCN1**35.00*35.00"), "x12: segment 9 (CLP), element 2: missing claim status code"},
		{"bad units", with(7, "SVC*HC:97026:GP*35.00*35.00**one"), `x12: segment 11 (SVC), element 5: invalid units "one"`},
		{"impossible service date", with(8, "DTM*472*20260230"), `x12: segment 12 (DTM), element 2: invalid date "20260230"`},
		{"missing service date", with(8, "DTM*472"), "x12: segment 12 (DTM), element 2: missing date"},
		{"CAS reason without amount", append(append([]string(nil), claimBody...), "CAS*CO*45"), `x12: segment 13 (CAS), element 3: missing adjustment amount for reason "45"`},
		{"CAS amount without reason", append(append([]string(nil), claimBody...), "CAS*CO**1.00"), "x12: segment 13 (CAS), element 2: adjustment without a reason code"},
		{"CAS bad quantity", append(append([]string(nil), claimBody...), "CAS*CO*45*0*x"), `x12: segment 13 (CAS), element 4: invalid quantity "x"`},
		{"missing BPR02", with(0, "BPR*I**C*CHK"), "x12: segment 4 (BPR), element 2: missing amount"},
		{"PLB amount", append(append([]string(nil), claimBody...), "PLB*1245319599*20261231*WO:X*1.2.3"), `x12: segment 13 (PLB), element 4: invalid amount "1.2.3"`},
	} {
		_, _, err := parseString(file(tc.body))
		require.EqualError(t, err, tc.want, tc.name)
	}
}

func TestErrorsAreSticky(t *testing.T) {
	t.Parallel()
	// The first transaction is fine, the second is not.
	r := x12.NewReader(strings.NewReader(file(claimBody, with(5, "CLP*PCN2*1*x*35.00"))))
	rem, err := r.Next()
	require.NoError(t, err)
	require.NotNil(t, rem)
	rem, err = r.Next()
	require.Nil(t, rem)
	se := syntaxError(t, err)
	require.Equal(t, x12.SyntaxError{Segment: 20, ID: "CLP", Element: 3, Msg: `invalid amount "x"`}, *se)
	_, again := r.Next()
	require.Equal(t, err, again)

	// Parse refuses the whole file.
	rems, _, err := parseString(file(claimBody, with(5, "CLP*PCN2*1*x*35.00")))
	require.Error(t, err)
	require.Nil(t, rems)
}

func TestSyntaxErrorFormat(t *testing.T) {
	t.Parallel()
	require.Equal(t, `x12: segment 17 (CLP), element 3: invalid amount "12.3.4"`,
		(&x12.SyntaxError{Segment: 17, ID: "CLP", Element: 3, Msg: `invalid amount "12.3.4"`}).Error())
	require.Equal(t, "x12: segment 4 (SE): msg", (&x12.SyntaxError{Segment: 4, ID: "SE", Msg: "msg"}).Error())
	require.Equal(t, "x12: msg", (&x12.SyntaxError{Msg: "msg"}).Error())
	require.Equal(t, "segment 4 (BPR), element 16: msg", x12.Warning{Segment: 4, ID: "BPR", Element: 16, Message: "msg"}.String())
}

func TestLongValuesAreCutInMessages(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("9", 500)
	_, _, err := parseString(file(with(5, "CLP*PCN1*1*"+long+"x*35.00")))
	require.Error(t, err)
	require.Less(t, len(err.Error()), 120)
}

func TestWarnings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		body []string
		want []string
	}{
		{"payment date missing", with(0, "BPR*I*35.00*C*CHK"), []string{"segment 4 (BPR), element 16: missing payment date"}},
		{"BPR15 is an account number", with(0, "BPR*I*35.00*C*ACH*CCP*01*1*DA*2*3**01*4*DA*20260115"),
			[]string{"segment 4 (BPR), element 16: missing payment date"}},
		{"bad production date", append([]string{claimBody[0], claimBody[1], "DTM*405*2026"}, claimBody[2:]...), []string{
			`segment 6 (DTM), element 2: invalid date "2026"; left unset`,
		}},
		{"unknown status", with(5, "CLP*PCN1*99*35.00*35.00"), []string{`segment 9 (CLP), element 2: unknown claim status code "99"; kept as read`}},
		{"line does not balance", with(7, "SVC*HC:97026:GP*40.00*35.00**1"), []string{
			"segment 11 (SVC): service line does not balance: charge 40.00 less paid 35.00 is 5.00, but its adjustments total 0.00",
		}},
		{"claim does not balance", with(5, "CLP*PCN1*1*36.00*35.00**MB*ICN1*11*1"), []string{
			"segment 9 (CLP): claim does not balance: charge 36.00 less paid 35.00 is 1.00, but claim and line adjustments total 0.00",
		}},
		{"BPR does not balance", with(0, bpr16("30.00")), []string{
			"segment 4 (BPR), element 2: total payment 30.00 does not equal the claim payments 35.00 less the provider adjustments 0.00",
		}},
		{"no patient", with(6, "NM1*IL*1*DOE*JOHN"), []string{"segment 9 (CLP): claim has no patient (NM1*QC)"}},
		{"no payer", with(2, "N1*ZZ*SOMEONE"), []string{"segment 13 (SE): transaction set has no payer (N1*PR)"}},
		{"composite with the other separator", with(7, "SVC*HC>97026>GP*35.00*35.00**1"), []string{
			`segment 11 (SVC), element 1: composite "HC>97026>GP" uses '>' as component separator but ISA16 declares ':'; read as HC:97026:GP`,
		}},
		{"no qualifier", with(7, "SVC*97026*35.00*35.00**1"), []string{
			`segment 11 (SVC), element 1: composite "97026" has no qualifier; read as the procedure code`,
		}},
		{"unknown group", append(append([]string(nil), claimBody...), "CAS*XX*45*0"), []string{
			`segment 13 (CAS), element 1: unknown adjustment group code "XX"; kept as read`,
		}},
		{"claim date after line", append(append([]string(nil), claimBody...), "DTM*050*20260110"), []string{
			`segment 13 (DTM), element 1: claim date "050" after a service line; applied to the claim`,
		}},
		{"currency", append([]string{claimBody[0], "CUR*PR*CAD"}, claimBody[1:]...), []string{
			`segment 5 (CUR), element 2: amounts are in currency "CAD", not USD; read as written`,
		}},
	} {
		rems, warnings, err := parseString(file(tc.body))
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, warningStrings(warnings), tc.name)
		require.Equal(t, warnings, rems[0].Warnings, tc.name)
	}
}

func TestCompositeWithColonWhenISA16IsGreaterThan(t *testing.T) {
	t.Parallel()
	s := strings.Replace(file(claimBody), "*P*:~", "*P*>~", 1)
	rems, warnings, err := parseString(s)
	require.NoError(t, err)
	require.Equal(t, "97026", rems[0].Claims[0].Lines[0].Procedure.Code)
	require.Len(t, warnings, 1)
	require.Contains(t, warnings[0].Message, `uses ':' as component separator but ISA16 declares '>'`)
}

func TestQualifierOnlySVC(t *testing.T) {
	t.Parallel()
	t.Run("shift balances against the line adjustments", func(t *testing.T) {
		t.Parallel()
		// Two lines, so CLP03/CLP04 cannot decide; the CAS can.
		body := with(5, "CLP*PCN1*1*70.00*60.00**MB*ICN1*11*1")
		body[0] = bpr16("60.00")
		body = append(body, "SVC*HC*97026*35.00*25.00**1", "DTM*472*20260105", "CAS*CO*45*10.00")
		rems, warnings, err := parseString(file(body))
		require.NoError(t, err)
		l := rems[0].Claims[0].Lines[1]
		require.Equal(t, "HC:97026", l.Procedure.String())
		require.Equal(t, int64(3500), l.ChargeCents)
		require.Equal(t, int64(2500), l.PaidCents)
		require.Len(t, warnings, 1)
		require.Contains(t, warnings[0].Message, "because that reading balances against the line adjustments (10.00)")
	})
	t.Run("neither reading balances", func(t *testing.T) {
		t.Parallel()
		body := with(7, "SVC*HC*97026*35.00*30.00")
		rems, warnings, err := parseString(file(body))
		require.NoError(t, err)
		l := rems[0].Claims[0].Lines[0]
		require.Equal(t, x12.Procedure{Qualifier: "HC"}, l.Procedure)
		require.Equal(t, int64(9702600), l.ChargeCents, "kept as written")
		require.Equal(t, []string{
			`segment 11 (SVC), element 1: SVC01 "HC" is a qualifier with no procedure code; procedure code left empty; reading SVC02 as the code does not balance either`,
			"segment 11 (SVC): service line does not balance: charge 97026.00 less paid 35.00 is 96991.00, but its adjustments total 0.00",
		}, warningStrings(warnings))
	})
	t.Run("as written balances too", func(t *testing.T) {
		t.Parallel()
		body := with(7, "SVC*HC*35.00*35.00*35.00")
		_, warnings, err := parseString(file(body))
		require.NoError(t, err)
		require.Contains(t, warnings[0].Message, "procedure code left empty; reading SVC02 as the code would also balance, but so does the reading as written")
	})
	t.Run("code that is no amount", func(t *testing.T) {
		t.Parallel()
		// SVC02 "A0425" cannot be a charge: only the shifted reading reads.
		body := with(7, "SVC*HC*A0425*35.00*35.00**1")
		rems, _, err := parseString(file(body))
		require.NoError(t, err)
		require.Equal(t, "A0425", rems[0].Claims[0].Lines[0].Procedure.Code)
	})
	t.Run("code that is no amount and does not balance", func(t *testing.T) {
		t.Parallel()
		body := with(7, "SVC*HC*A0425*35.00*30.00**1")
		_, _, err := parseString(file(body))
		require.EqualError(t, err, `x12: segment 11 (SVC), element 2: invalid amount "A0425"`)
	})
}

func TestStreamingMatchesParse(t *testing.T) {
	t.Parallel()
	data := x12test.Generate(x12test.Options{Lines: 3000, ClaimsPerTransaction: 200, Seed: 7})
	want, warnings, err := x12.Parse(data)
	require.NoError(t, err)
	require.Empty(t, warnings)
	for name, rd := range map[string]io.Reader{
		"one byte": iotest.OneByteReader(bytes.NewReader(data)),
		"half":     iotest.HalfReader(bytes.NewReader(data)),
	} {
		r := x12.NewReader(rd)
		var got []*x12.Remittance
		for {
			rem, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(t, err, name)
			got = append(got, rem)
		}
		require.Equal(t, describe(want), describe(got), name)
	}
}

func TestReadErrorsAreWrapped(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk on fire")
	for _, n := range []int{50, 300} {
		r := x12.NewReader(io.MultiReader(strings.NewReader(file(claimBody)[:n]), iotest.ErrReader(boom)))
		_, err := r.Next()
		require.ErrorIs(t, err, boom)
		require.Contains(t, err.Error(), "x12: error reading")
	}
}

func TestSegmentLongerThanTheBuffer(t *testing.T) {
	t.Parallel()
	// A 600 KB NTE (skipped) and a 300 KB patient name (kept).
	name := strings.Repeat("N", 300<<10)
	body := append([]string{claimBody[0], "NTE*ADD*" + strings.Repeat("x", 600<<10)}, claimBody[1:]...)
	body[7] = "NM1*QC*1*" + name + "*JANE****MI*M1"
	r := x12.NewReader(strings.NewReader(file(body)))
	rem, err := r.Next()
	require.NoError(t, err)
	require.Equal(t, name, rem.Claims[0].Patient.Last)

	_, _, err = parseString(file(append([]string{"NTE*" + strings.Repeat("x", 2<<20)}, claimBody...)))
	require.EqualError(t, err, "x12: segment 4: segment longer than 1048576 bytes (is the segment terminator '~' right?)")
}

func TestEveryPrefixOfAFileIsHandled(t *testing.T) {
	t.Parallel()
	// Cutting a file anywhere gives an error or fewer remittances, never a
	// panic or a remittance with an error.
	data, err := readTestdata("medicare-97026-denials.835")
	require.NoError(t, err)
	for i := 0; i < len(data); i++ {
		rems, _, err := x12.Parse(data[:i])
		if err == nil {
			require.LessOrEqual(t, len(rems), 1)
		} else {
			require.Nil(t, rems)
		}
	}
}

func TestKitchenSink(t *testing.T) {
	t.Parallel()
	// One of nearly every segment and form the Reader handles (the same
	// body seeds FuzzReader).
	rems, warnings, err := parseString(file(kitchenSink))
	require.NoError(t, err)
	require.Len(t, warnings, 4)
	require.Equal(t, golden(`
ST 1001 ISA 000000001 GS 1
BPR I C CHK total 35.00 date 2026-01-15
TRN 1 T 1
DTM*405 2026-01-10
REF EV=X
payer "PAYER" | A B | C ST 12345
  REF 2U=P
payee "CLINIC" XX 1245319599 | |
  REF TJ=1
CLP P1 status 22 charge -35.00 paid -35.00 patient 0.00 filing MB icn I1 facility 11 freq 1 lx 1
  patient 1 DOE, JANE Q JR MI M1
  insured 1 DOE, JOHN
  corrected-insured 1 X,
  rendering 1 PT, A XX 1682947134
  crossover 2 C,
  corrected-payer 2 D,
  other-subscriber 1 E,
  CAS CO-45 0.00
  CAS CO-2 0.00 1
  MOA MA01 MA02
  MIA MA01 N1 N2
  DTM*232 2026-01-01
  DTM*233 2026-01-02
  DTM*050 2026-01-03
  DTM*036 2026-12-31
  REF F8=I0
  AMT AU 1.00
  QTY CA 1.5
  SVC HC:97026:GP:59:XS:KX charge -35.00 paid -35.00 units -1 rev 0420
    original HC:97026
    original units 2
    DTM*472 2026-01-01
    CAS PR-1 0.00
    REF 6R=L1
    AMT B6 0.00
    QTY ZK 1
    LQ*HE N386
    LQ*RX R1
  SVC HC:97026 charge 0.00 paid 0.00 units 1 rev
    DTM*150 2026-01-01
    DTM*151 2026-01-02
CLP P2 status 4 charge 0.00 paid 0.00 patient 0.00 filing icn facility freq lx 1
  patient 1 X,
  SVC HC:97026 charge 0.00 paid 0.00 units 1 rev
PLB 1245319599 2026-12-31
  WO:I1 0.00
  L6: 0.00
warning: segment 4 (BPR), element 15: payment date found in BPR15 instead of BPR16; read as 2026-01-15
warning: segment 45 (SVC), element 1: SVC01 "HC" is a qualifier with no procedure code; assumed the code was written as a separate element and read every element shifted left by one: procedure HC:97026 from SVC02 "97026", charge 0.00, paid 0.00, units 1, because that reading balances against the line adjustments (0.00) and the reading as written (charge 97026.00, paid 0.00) does not
warning: segment 50 (SVC), element 1: composite "HC>97026" uses '>' as component separator but ISA16 declares ':'; read as HC:97026
warning: segment 4 (BPR), element 2: total payment 35.00 does not equal the claim payments -35.00 less the provider adjustments 0.00
`), describe(rems))

	r := rems[0]
	require.Equal(t, "X", r.Ref("EV"))
	require.Equal(t, "", r.Ref("F2"))
	c := &r.Claims[0]
	require.True(t, c.IsReversal())
	require.False(t, c.IsProcessed())
	require.True(t, r.Claims[1].IsDenied())
	require.Equal(t, []string{"MA01", "MA02", "MA01", "N1", "N2"}, c.Remarks())
	au, ok := c.Amount("AU")
	require.True(t, ok)
	require.Equal(t, int64(100), au)
	_, ok = c.Amount("I")
	require.False(t, ok)
	require.Equal(t, "1682947134", c.RenderingProvider.NPI())
	require.Equal(t, "", c.Insured.NPI())
	l := &c.Lines[0]
	require.Equal(t, x12.Procedure{Qualifier: "HC", Code: "97026", Modifiers: []string{"GP", "59", "XS", "KX"}, Description: "DESC"}, l.Procedure)
	require.True(t, l.Procedure.HasModifier("XS"))
	require.Equal(t, &x12.Procedure{Qualifier: "HC", Code: "97026"}, l.OriginalProcedure)
	require.Equal(t, "L1", l.ControlNumber())
	require.Equal(t, "L1", l.Ref("6R"))
	b6, ok := l.Amount("B6")
	require.True(t, ok)
	require.Zero(t, b6)
	units, ok := l.WholeUnits()
	require.True(t, ok)
	require.Equal(t, -1, units)
	require.Equal(t, x12.NewDate(2026, time.January, 1), r.Claims[0].LineDate(1), "DTM*150 when there is no DTM*472")
	require.Equal(t, x12.Date{}, r.Claims[1].LineDate(0), "no line date and no statement date")
	require.True(t, (&x12.Claim{Status: x12.StatusPrimaryForwarded}).IsProcessed())
}

func TestReaderDelimitersAndOddISA(t *testing.T) {
	t.Parallel()
	// An ISA with unpadded fields: not 106 bytes, but its delimiters can
	// still be read from its elements.
	s := strings.Replace(file(claimBody), "*ZZ*SENDER         *ZZ*RECEIVER       *", "*ZZ*SENDER*ZZ*RECEIVER*", 1)
	r := x12.NewReader(strings.NewReader(s))
	require.Equal(t, x12.Delimiters{}, r.Delimiters())
	rem, err := r.Next()
	require.NoError(t, err)
	require.Equal(t, x12.Delimiters{Element: '*', Repetition: '^', Component: ':', Segment: '~'}, r.Delimiters())
	require.Equal(t, "SENDER", rem.Interchange.SenderID)
	require.Equal(t, []string{"segment 1 (ISA): ISA is 90 bytes long, not the fixed 106; delimiters read from its elements"}, warningStrings(r.Warnings()))
}

func TestPLBReasonWithTheOtherSeparator(t *testing.T) {
	t.Parallel()
	body := append(with(0, bpr16("36.25")), "PLB*1245319599*20261231*L6>ICN1*-1.25")
	rems, warnings, err := parseString(file(body))
	require.NoError(t, err)
	require.Equal(t, []x12.ProviderAdjustmentItem{{Reason: "L6", Reference: "ICN1", AmountCents: -125}}, rems[0].ProviderAdjustments[0].Items)
	require.Equal(t, []string{`segment 13 (PLB), element 3: composite "L6>ICN1" uses '>' but ISA16 declares ':'; read as reason L6`}, warningStrings(warnings))
}
