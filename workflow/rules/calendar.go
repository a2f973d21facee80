package rules

import (
	"fmt"
	"time"
)

// DateLayout is the one text form of a calendar date, in the API and in sentences.
const DateLayout = time.DateOnly

// Date returns the calendar date year-month-day as midnight UTC, the one form Reclaim keeps
// calendar dates in.
func Date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads a YYYY-MM-DD date, refusing impossible ones such as 2026-02-30.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a calendar date (YYYY-MM-DD)", s)
	}
	return t, nil
}

// Today is the calendar date of now as seen in loc.
func Today(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return Date(y, m, d)
}

// AddDays moves a date by n calendar days.
func AddDays(d time.Time, n int) time.Time { return d.AddDate(0, 0, n) }

// AddMonths moves a date by n calendar months, never past the end of the target month:
// Jan 31 + 1 month is Feb 28 (or 29), and Feb 29 + 12 months is Feb 28. This is the strict
// reading of "one year from": a deadline computed this way is never later than the payer's.
func AddMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := Date(y, m, 1).AddDate(0, n, 0)
	if last := daysIn(first.Year(), first.Month()); day > last {
		day = last
	}
	return Date(first.Year(), first.Month(), day)
}

// DaysBetween counts calendar days from a to b (negative when b is earlier).
func DaysBetween(a, b time.Time) int {
	return int(b.Sub(a).Hours() / 24)
}

func daysIn(year int, month time.Month) int {
	return Date(year, month+1, 1).AddDate(0, 0, -1).Day()
}

// FormatCents writes an amount of cents as dollars, e.g. $1,234.56 or -$9.00.
func FormatCents(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	dollars := fmt.Sprint(cents / 100)
	for i := len(dollars) - 3; i > 0; i -= 3 {
		dollars = dollars[:i] + "," + dollars[i:]
	}
	return fmt.Sprintf("%s$%s.%02d", sign, dollars, cents%100)
}
