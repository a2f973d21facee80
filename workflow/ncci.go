package workflow

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
	"github.com/reclaimhq/reclaim/workflow/errs"
	"github.com/reclaimhq/reclaim/workflow/rules"
)

// ncciChunk is how many rows one statement loads.
const ncciChunk = 5000

// LoadPTP loads a CMS NCCI procedure-to-procedure edit file (practitioner services), as
// CMS publishes it each quarter: tab-separated or CSV, with preamble and header rows,
// columns Column 1, Column 2, in-existence-before-1996 flag, effective date, deletion date
// (* for none), modifier indicator (0, 1, 9) and rationale. An edit loaded before is
// updated. The load is all or nothing: a malformed row names its line and nothing is kept.
func (s *Service) LoadPTP(ctx context.Context, actor Actor, name string, r io.Reader) (int, error) {
	var batch dbsqlc.UpsertNCCIEditsParams
	return s.loadCMSFile(ctx, actor, name, r, cmsLoad{
		minFields: 6, event: "ncci.loaded", noun: "edits",
		add: func(line int, f []string) error {
			effective, err := cmsDate(f[3])
			if err != nil {
				return rowError(name, line, "effective date", err)
			}
			deletion := ""
			if d := strings.TrimSpace(f[4]); d != "*" && d != "" {
				del, err := cmsDate(d)
				if err != nil {
					return rowError(name, line, "deletion date", err)
				}
				deletion = del.Format(rules.DateLayout)
			}
			indicator, err := strconv.Atoi(strings.TrimSpace(f[5]))
			if err != nil || (indicator != 0 && indicator != 1 && indicator != 9) {
				return rowError(name, line, "modifier indicator", fmt.Errorf("%q is not 0, 1 or 9", f[5]))
			}
			batch.Column1 = append(batch.Column1, code(f[0]))
			batch.Column2 = append(batch.Column2, code(f[1]))
			batch.EffectiveDates = append(batch.EffectiveDates, effective)
			batch.DeletionDates = append(batch.DeletionDates, deletion)
			batch.ModifierIndicators = append(batch.ModifierIndicators, int16(indicator))
			batch.Rationales = append(batch.Rationales, field(f, 6))
			return nil
		},
		kept: func() int { return len(batch.Column1) },
		flush: func(q *dbsqlc.Queries) error {
			_, err := q.UpsertNCCIEdits(ctx, batch)
			batch = dbsqlc.UpsertNCCIEditsParams{}
			return err
		},
	})
}

// LoadMUE loads a CMS medically-unlikely-edit file (practitioner services): code, units
// per day, adjudication indicator (its leading digit) and rationale. All or nothing.
func (s *Service) LoadMUE(ctx context.Context, actor Actor, name string, r io.Reader) (int, error) {
	var batch dbsqlc.UpsertMUELimitsParams
	return s.loadCMSFile(ctx, actor, name, r, cmsLoad{
		minFields: 2, event: "mue.loaded", noun: "codes",
		add: func(line int, f []string) error {
			units, err := strconv.Atoi(strings.TrimSpace(f[1]))
			if err != nil || units < 0 {
				return rowError(name, line, "units", fmt.Errorf("%q is not a number of units", f[1]))
			}
			var indicator int16
			if t := field(f, 2); t != "" && t[0] >= '1' && t[0] <= '3' {
				indicator = int16(t[0] - '0')
			}
			batch.Codes = append(batch.Codes, code(f[0]))
			batch.Units = append(batch.Units, int32(units))
			batch.AdjudicationIndicators = append(batch.AdjudicationIndicators, indicator)
			batch.Rationales = append(batch.Rationales, field(f, 3))
			return nil
		},
		kept: func() int { return len(batch.Codes) },
		flush: func(q *dbsqlc.Queries) error {
			_, err := q.UpsertMUELimits(ctx, batch)
			batch = dbsqlc.UpsertMUELimitsParams{}
			return err
		},
	})
}

// cmsLoad is how one kind of CMS file loads: add checks a row and keeps it, kept says how
// many rows wait, flush writes them.
type cmsLoad struct {
	minFields   int
	event, noun string
	add         func(line int, fields []string) error
	kept        func() int
	flush       func(q *dbsqlc.Queries) error
}

// loadCMSFile loads a CMS file in one transaction, a chunk of rows per statement, and
// records the load as an event. It returns the rows loaded.
func (s *Service) loadCMSFile(ctx context.Context, actor Actor, name string, r io.Reader, l cmsLoad) (int, error) {
	total := 0
	err := s.inTx(ctx, func(_ pgx.Tx, q *dbsqlc.Queries) error {
		flush := func() error {
			n := l.kept()
			if n == 0 {
				return nil
			}
			if err := l.flush(q); err != nil {
				return fmt.Errorf("error loading %s: %w", name, err)
			}
			total += n
			return nil
		}
		err := eachDataRow(r, name, l.minFields, func(line int, f []string) error {
			if err := l.add(line, f); err != nil {
				return err
			}
			if l.kept() == ncciChunk {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
		return insertEvents(ctx, q, []dbsqlc.InsertEventsParams{newEvent(actor, 0, 0, l.event, map[string]any{
			"file": name, l.noun: total,
		})})
	})
	return total, err
}

// field is the trimmed i-th field, or "" when the row is shorter.
func field(f []string, i int) string {
	if i >= len(f) {
		return ""
	}
	return strings.TrimSpace(f[i])
}

// eachDataRow calls fn for every row of a CMS file whose first field is a procedure code,
// skipping the preamble and header rows CMS puts before the data. Rows are split on tabs
// when the row has any, else read as CSV.
func eachDataRow(r io.Reader, name string, minFields int, fn func(line int, fields []string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line, rows := 0, 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		var fields []string
		if strings.Contains(text, "\t") {
			fields = strings.Split(text, "\t")
		} else {
			cr := csv.NewReader(strings.NewReader(text))
			cr.FieldsPerRecord = -1
			cr.LazyQuotes = true
			rec, err := cr.Read()
			if err != nil {
				return rowError(name, line, "row", err)
			}
			fields = rec
		}
		if !procedurePattern.MatchString(code(fields[0])) {
			continue // a title, note or header row
		}
		if len(fields) < minFields {
			return rowError(name, line, "row", fmt.Errorf("has %d fields, want at least %d", len(fields), minFields))
		}
		if !procedurePattern.MatchString(code(fields[1])) && minFields > 2 {
			return rowError(name, line, "column 2", fmt.Errorf("%q is not a procedure code", fields[1]))
		}
		if err := fn(line, fields); err != nil {
			return err
		}
		rows++
	}
	if err := sc.Err(); err != nil {
		return errs.E(errs.Invalid, "%s: error reading: %v", name, err)
	}
	if rows == 0 {
		return errs.E(errs.Invalid, "%s holds no rows of procedure codes: is it the right file?", name)
	}
	return nil
}

func code(s string) string { return strings.ToUpper(strings.Trim(strings.TrimSpace(s), `"`)) }

// cmsDate reads CMS's YYYYMMDD dates.
func cmsDate(s string) (time.Time, error) {
	t, err := time.Parse("20060102", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a YYYYMMDD date", s)
	}
	return t, nil
}

func rowError(name string, line int, field string, err error) error {
	return errs.E(errs.Invalid, "%s line %d, %s: %v", name, line, field, err)
}
