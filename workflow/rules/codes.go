package rules

import (
	"embed"
	"fmt"
)

//go:embed data/*.csv
var dataFiles embed.FS

// Code is an entry of the CARC or RARC table.
type Code struct {
	Code string
	// Category is the base category of a CARC, or the category a RARC refines a denial to.
	// It is empty for a RARC that only informs (an appeal-rights notice, say).
	Category Category
	Meaning  string
}

var (
	carcs = mustLoad(func() (map[string]Code, error) { return loadCodes("data/carc.csv") })
	rarcs = mustLoad(func() (map[string]Code, error) { return loadCodes("data/rarc.csv") })
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

// codeHeaders are the code tables' headers: a CARC has a base category, a RARC the
// category it refines a denial to.
var codeHeaders = map[string][]string{
	"data/carc.csv": {"code", "category", "meaning"},
	"data/rarc.csv": {"code", "refines_to", "meaning"},
}

func loadCodes(name string) (map[string]Code, error) {
	header, ok := codeHeaders[name]
	if !ok {
		return nil, fmt.Errorf("%s is not a code table", name)
	}
	records, err := readTable(name, header)
	if err != nil {
		return nil, err
	}
	codes := make(map[string]Code, len(records))
	for i, rec := range records {
		cat := Category(rec[1])
		if cat != "" && !cat.Valid() {
			return nil, fmt.Errorf("%s line %d: unknown category %q", name, i+2, cat)
		}
		codes[rec[0]] = Code{Code: rec[0], Category: cat, Meaning: rec[2]}
	}
	return codes, nil
}
