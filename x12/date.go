package x12

import (
	"cmp"
	"fmt"
	"time"
)

// Date is a calendar date as an 835 carries it (CCYYMMDD): no time of day,
// no zone. Service, statement and payment dates are days on a calendar,
// not instants, so they are not time.Time; Time converts when a timestamp
// is needed. A Date is either the zero Date, meaning "not given", or a
// valid date between year 1 and 9999. It is four bytes and comparable
// with ==.
type Date struct {
	year  uint16
	month uint8
	day   uint8
}

// NewDate returns the date year-month-day, or the zero Date when that is
// not a real calendar date (leap years included) between years 1 and 9999.
func NewDate(year int, month time.Month, day int) Date {
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return Date{}
	}
	return Date{year: uint16(year), month: uint8(month), day: uint8(day)}
}

// Year returns the year (0 for the zero Date).
func (d Date) Year() int { return int(d.year) }

// Month returns the month (0 for the zero Date).
func (d Date) Month() time.Month { return time.Month(d.month) }

// Day returns the day of the month (0 for the zero Date).
func (d Date) Day() int { return int(d.day) }

// IsZero reports whether d is the zero Date (no date given).
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as ISO 8601 "2026-01-31"; the zero Date is "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	var b [10]byte
	y, m, dd := int(d.year), int(d.month), int(d.day)
	b[0], b[1], b[2], b[3] = byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
	b[4], b[7] = '-', '-'
	b[5], b[6] = byte('0'+m/10), byte('0'+m%10)
	b[8], b[9] = byte('0'+dd/10), byte('0'+dd%10)
	return string(b[:])
}

// Time returns midnight UTC at the start of d; the zero Date gives the zero
// time.Time.
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(int(d.year), time.Month(d.month), int(d.day), 0, 0, 0, 0, time.UTC)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e. The
// zero Date sorts before every other date.
func (d Date) Compare(e Date) int {
	return cmp.Compare(d.key(), e.key())
}

func (d Date) key() int { return int(d.year)<<16 | int(d.month)<<8 | int(d.day) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// MarshalText writes d as "2026-01-31" (empty for the zero Date), so that
// dates read naturally in JSON.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "2026-01-31"; empty text gives the zero Date.
func (d *Date) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*d = Date{}
		return nil
	}
	if len(text) != 10 || text[4] != '-' || text[7] != '-' {
		return fmt.Errorf("x12: invalid date %s: want YYYY-MM-DD", quote(text))
	}
	buf := make([]byte, 0, 8)
	buf = append(buf, text[0:4]...)
	buf = append(buf, text[5:7]...)
	buf = append(buf, text[8:10]...)
	v, ok := parseDate(buf)
	if !ok {
		return fmt.Errorf("x12: invalid date %s", quote(text))
	}
	*d = v
	return nil
}

func daysIn(year int, m time.Month) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// parseDate reads CCYYMMDD and checks that it is a real date.
func parseDate(b []byte) (Date, bool) {
	if len(b) != 8 {
		return Date{}, false
	}
	var v [8]int
	for i, c := range b {
		if c < '0' || c > '9' {
			return Date{}, false
		}
		v[i] = int(c - '0')
	}
	d := NewDate(v[0]*1000+v[1]*100+v[2]*10+v[3], time.Month(v[4]*10+v[5]), v[6]*10+v[7])
	return d, !d.IsZero()
}

// parseShortDate reads the interchange date YYMMDD (ISA09). The century is
// taken as 20: X12 5010 interchanges are all from this century.
func parseShortDate(b []byte) (Date, bool) {
	if len(b) != 6 {
		return Date{}, false
	}
	var full [8]byte
	full[0], full[1] = '2', '0'
	copy(full[2:], b)
	return parseDate(full[:])
}
