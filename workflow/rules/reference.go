package rules

import (
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
)

// The 97026 pack's reference tables (domain/97026.md), embedded with the CARC and RARC
// tables. NCCI pairs and MUE limits are not among them: they change every quarter, so the
// workflow loads them from CMS's files and hands them over on the [Line].
var (
	ncdFamilies = mustLoad(loadNCDFamilies)
	statusB     = mustLoad(loadStatusB)
	modalities  = mustLoad(loadModalities)
)

// NCDFamily is one diagnosis family that puts a 97026 line under NCD 270.6 (Infrared
// Therapy Devices): a code prefix in ICD-10-CM, such as E11.4 or L97.
type NCDFamily struct {
	Prefix  string `json:"prefix"`
	Family  string `json:"family"` // diabetic neuropathy, skin ulcer, open wound, …
	Meaning string `json:"meaning"`
	key     string // the prefix without its dot, as matched
}

// NCD2706Families lists the diagnosis families NCD 270.6 excludes, in the table's order.
func NCD2706Families() []NCDFamily { return slices.Clone(ncdFamilies) }

// NCD2706Family finds the family a diagnosis code falls in, by prefix: E11.42, E1142 and
// e11.42 all fall in E11.4, while G55.1 or L98.3 fall in none.
func NCD2706Family(diagnosis string) (NCDFamily, bool) {
	key := diagnosisKey(diagnosis)
	if key == "" {
		return NCDFamily{}, false
	}
	for _, f := range ncdFamilies {
		if strings.HasPrefix(key, f.key) {
			return f, true
		}
	}
	return NCDFamily{}, false
}

// diagnosisKey is an ICD-10-CM code as it is compared: upper case, without its dot or
// spaces, since billing systems send both E11.42 and E1142.
//
// It runs for every diagnosis of every triaged line, so it builds the key in one pass.
func diagnosisKey(code string) string {
	var b strings.Builder
	b.Grow(len(code))
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case c == '.' || c == ' ':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// NeverPaidSeparately reports whether Medicare never pays a procedure code on its own
// (fee schedule status B, e.g. 97010 hot or cold packs): a bundling denial of it is final.
func NeverPaidSeparately(code string) bool {
	_, ok := statusB[normalCode(code)]
	return ok
}

// Modality is a physical medicine modality code a biller may confuse with 97026.
type Modality struct {
	Code string `json:"code"`
	// Timing is supervised (untimed, one unit per session), timed (15-minute units) or
	// unlisted.
	Timing  string `json:"timing"`
	Meaning string `json:"meaning"`
}

// Neighbours lists the modality codes next to 97026 that a biller may confuse with it,
// in code order (97026 itself is left out).
func Neighbours() []Modality {
	return slices.DeleteFunc(slices.Clone(modalities), func(m Modality) bool { return m.Code == Code97026 })
}

func loadNCDFamilies() ([]NCDFamily, error) {
	const name = "data/ncd_270_6.csv"
	recs, err := readTable(name, []string{"prefix", "family", "meaning"})
	if err != nil {
		return nil, err
	}
	out := make([]NCDFamily, 0, len(recs))
	for i, rec := range recs {
		f := NCDFamily{Prefix: rec[0], Family: rec[1], Meaning: rec[2], key: diagnosisKey(rec[0])}
		// A family is at least a category (letter and two digits): anything shorter would
		// swallow unrelated codes.
		if len(f.key) < 3 || f.Family == "" {
			return nil, fmt.Errorf("%s line %d: want an ICD-10-CM prefix of at least 3 characters and a family", name, i+2)
		}
		out = append(out, f)
	}
	return out, nil
}

func loadStatusB() (map[string]string, error) {
	const name = "data/status_b.csv"
	recs, err := readTable(name, []string{"code", "meaning"})
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(recs))
	for i, rec := range recs {
		if len(rec[0]) != 5 {
			return nil, fmt.Errorf("%s line %d: %q is not a 5-character procedure code", name, i+2, rec[0])
		}
		out[rec[0]] = rec[1]
	}
	return out, nil
}

func loadModalities() ([]Modality, error) {
	const name = "data/modalities.csv"
	recs, err := readTable(name, []string{"code", "timing", "meaning"})
	if err != nil {
		return nil, err
	}
	out := make([]Modality, 0, len(recs))
	for i, rec := range recs {
		m := Modality{Code: rec[0], Timing: rec[1], Meaning: rec[2]}
		if len(m.Code) != 5 || !slices.Contains([]string{"supervised", "timed", "unlisted"}, m.Timing) {
			return nil, fmt.Errorf("%s line %d: want a 5-character code and a timing of supervised, timed or unlisted", name, i+2)
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Modality) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

// readTable reads an embedded CSV table whose first line is the header want, returning the
// records after it with every field trimmed. The last column is free text that may hold
// unquoted commas: it takes the rest of the line. A table with no rows, a short row, an
// empty key or a key listed twice is an error.
func readTable(name string, want []string) ([][]string, error) {
	f, err := dataFiles.Open(name)
	if err != nil {
		return nil, fmt.Errorf("error opening %s: %w", name, err)
	}
	defer f.Close()

	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	records, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("error reading %s: %w", name, err)
	}
	if len(records) < 2 {
		return nil, fmt.Errorf("%s has no rows", name)
	}
	if header := records[0]; !slices.Equal(header, want) {
		return nil, fmt.Errorf("%s: header is %v, want %v", name, header, want)
	}
	out := make([][]string, 0, len(records)-1)
	seen := make(map[string]bool, len(records)-1)
	for i, rec := range records[1:] {
		if len(rec) < len(want) {
			return nil, fmt.Errorf("%s line %d: want %d columns (%s)", name, i+2, len(want), strings.Join(want, ", "))
		}
		last := len(want) - 1
		row := make([]string, len(want))
		for j := range last {
			row[j] = strings.TrimSpace(rec[j])
		}
		row[last] = strings.TrimSpace(strings.Join(rec[last:], ","))
		if row[0] == "" {
			return nil, fmt.Errorf("%s line %d: empty %s", name, i+2, want[0])
		}
		if seen[row[0]] {
			return nil, fmt.Errorf("%s line %d: %s %s listed twice", name, i+2, want[0], row[0])
		}
		seen[row[0]] = true
		out = append(out, row)
	}
	return out, nil
}

func mustLoad[T any](load func() (T, error)) T {
	v, err := load()
	if err != nil {
		panic(err) // the tables are embedded: a bad one is a build defect, caught by tests
	}
	return v
}
