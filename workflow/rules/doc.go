// Package rules holds Reclaim's decision tables: what a denied line's adjustment and remark
// codes mean, which category and action follow from them, which payer policy applies, when
// each deadline falls due and how urgent the resulting task is.
//
// It sits in the middle of the denial workflow: package workflow loads a denied line's facts
// from the database, asks this package for a [Decision] and for the [Deadline]s, and writes
// the results back. Nothing here does I/O or reads the clock: every function takes the facts
// it needs and returns a value, so each rule is pinned by table tests and a rule change never
// touches SQL.
//
// Reference data (the CARC and RARC tables) is embedded from data/*.csv, versioned with the
// code. Calendar dates are [time.Time] values at midnight UTC, made with [Date]; money is
// int64 cents.
package rules
