package x12

import (
	"fmt"
	"math"
)

// ParseAmount reads an X12 decimal amount (data element type R) as integer
// cents, exactly and without floating point.
//
// Accepted: an optional leading minus, digits, an optional decimal point and
// digits ("34", "34.0", "34.00", "-9.00", ".5", "5."). More than two
// fractional digits are accepted only when the extra digits are zeros
// ("34.000"); anything else ("1,000", "+5", "1e3", "12.3.4", "0.125", "")
// is an error, as is an amount that does not fit in int64 cents.
func ParseAmount(s string) (int64, error) {
	c, ok := parseCents(s)
	if !ok {
		return 0, fmt.Errorf("x12: invalid amount %s", quote([]byte(s)))
	}
	return c, nil
}

// FormatAmount writes cents as an X12 amount with two decimals: 3400 is
// "34.00", -900 is "-9.00". ParseAmount(FormatAmount(c)) == c for every c.
func FormatAmount(cents int64) string {
	neg := cents < 0
	var mag uint64
	if neg {
		mag = uint64(-(cents + 1)) + 1 // safe for math.MinInt64
	} else {
		mag = uint64(cents)
	}
	var buf [24]byte
	i := len(buf)
	frac := mag % 100
	whole := mag / 100
	i--
	buf[i] = byte('0' + frac%10)
	i--
	buf[i] = byte('0' + frac/10)
	i--
	buf[i] = '.'
	for {
		i--
		buf[i] = byte('0' + whole%10)
		whole /= 10
		if whole == 0 {
			break
		}
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// parseCents is the allocation-free core of ParseAmount.
func parseCents[T ~string | ~[]byte](s T) (int64, bool) {
	i, n := 0, len(s)
	neg := false
	if n > 0 && s[0] == '-' {
		neg = true
		i++
	}
	var mag uint64
	digits := 0
	for ; i < n && s[i] >= '0' && s[i] <= '9'; i++ {
		if mag > (math.MaxUint64/10)-1 {
			return 0, false
		}
		mag = mag*10 + uint64(s[i]-'0')
		digits++
	}
	// Scale whole units to cents.
	if mag > math.MaxUint64/100 {
		return 0, false
	}
	mag *= 100
	if i < n && s[i] == '.' {
		i++
		frac := 0
		for ; i < n && s[i] >= '0' && s[i] <= '9'; i++ {
			d := uint64(s[i] - '0')
			switch frac {
			case 0:
				mag += d * 10
			case 1:
				mag += d
			default:
				if d != 0 {
					return 0, false // a fraction of a cent
				}
			}
			frac++
			digits++
		}
	}
	if i != n || digits == 0 {
		return 0, false
	}
	if neg {
		if mag > uint64(math.MaxInt64)+1 {
			return 0, false
		}
		return -int64(mag-1) - 1, true
	}
	if mag > math.MaxInt64 {
		return 0, false
	}
	return int64(mag), true
}

// isDecimal reports whether s is a decimal number of the form ParseAmount
// accepts, with any number of fractional digits (quantities and units).
func isDecimal[T ~string | ~[]byte](s T) bool {
	i, n := 0, len(s)
	if n > 0 && s[0] == '-' {
		i++
	}
	digits := 0
	for ; i < n && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < n && s[i] == '.' {
		i++
		for ; i < n && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	return i == n && digits > 0
}

// amountMessage is the message of a SyntaxError for a bad amount.
func amountMessage(b []byte) string {
	return "invalid amount " + quote(b)
}

// wholeUnits reads a decimal quantity as a whole number, if it is one
// ("2", "2.0", "2.00").
func wholeUnits(s string) (int, bool) {
	c, ok := parseCents(s)
	if !ok || c%100 != 0 {
		return 0, false
	}
	u := c / 100
	if u > math.MaxInt32 || u < math.MinInt32 {
		return 0, false
	}
	return int(u), true
}
