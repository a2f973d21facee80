package rules

import (
	"embed"
	"encoding/csv"
	"fmt"
	"strings"
)

//go:embed data/carc.csv data/rarc.csv
var codeFiles embed.FS

// Code is an entry of the CARC or RARC table.
type Code struct {
	Code string
	// Category is the base category of a CARC, or the category a RARC refines a denial to.
	// It is empty for a RARC that only informs (an appeal-rights notice, say).
	Category Category
	Meaning  string
}

var (
	carcs = mustLoadCodes("data/carc.csv")
	rarcs = mustLoadCodes("data/rarc.csv")
)

// CARC looks up a claim adjustment reason code.
func CARC(code string) (Code, bool) {
	c, ok := carcs[code]
	return c, ok
}

// RARC looks up a remittance advice remark code.
func RARC(code string) (Code, bool) {
	c, ok := rarcs[code]
	return c, ok
}

func mustLoadCodes(name string) map[string]Code {
	codes, err := loadCodes(name)
	if err != nil {
		panic(err) // the tables are embedded: a bad one is a build defect, caught by tests
	}
	return codes
}

func loadCodes(name string) (map[string]Code, error) {
	f, err := codeFiles.Open(name)
	if err != nil {
		return nil, fmt.Errorf("error opening %s: %w", name, err)
	}
	defer f.Close()

	r := csv.NewReader(f)
	// The meaning is the last column and may hold unquoted commas: it takes the rest.
	r.FieldsPerRecord = -1
	records, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("error reading %s: %w", name, err)
	}
	if len(records) < 2 {
		return nil, fmt.Errorf("%s has no codes", name)
	}
	codes := make(map[string]Code, len(records)-1)
	for i, rec := range records[1:] {
		if len(rec) < 3 {
			return nil, fmt.Errorf("%s line %d: want code, category and meaning", name, i+2)
		}
		code := strings.TrimSpace(rec[0])
		cat := Category(strings.TrimSpace(rec[1]))
		if code == "" {
			return nil, fmt.Errorf("%s line %d: empty code", name, i+2)
		}
		if cat != "" && !cat.Valid() {
			return nil, fmt.Errorf("%s line %d: unknown category %q", name, i+2, cat)
		}
		if _, dup := codes[code]; dup {
			return nil, fmt.Errorf("%s line %d: code %s listed twice", name, i+2, code)
		}
		codes[code] = Code{Code: code, Category: cat, Meaning: strings.TrimSpace(strings.Join(rec[2:], ","))}
	}
	return codes, nil
}
