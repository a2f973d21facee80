// Package errs names the kinds of failure the workflow reports to its callers: a request
// that is invalid, a thing not found, a conflict with the current state, a caller who is
// not authenticated or not allowed. The API turns each kind into an HTTP status in one
// table; nothing below the API knows about HTTP.
package errs

import (
	"errors"
	"fmt"
)

// Kind is a category of failure.
type Kind int

// The kinds of failure.
const (
	// Internal is a failure of Reclaim or its database, not of the request.
	Internal Kind = iota
	// Invalid is a request that breaks the contract; Details name what is wrong.
	Invalid
	// NotFound is a request for something that does not exist.
	NotFound
	// Conflict is a request the current state does not allow.
	Conflict
	// Unauthenticated is a request without a valid key.
	Unauthenticated
	// Forbidden is a request from a caller whose role does not allow it.
	Forbidden
	// TooLarge is a request body over the limit.
	TooLarge
)

// Detail names one thing wrong with a request.
type Detail struct {
	// Location is where, as a path into the request, e.g. body.denials[3].provider.npi.
	Location string
	// Message says what is wrong.
	Message string
	// Value is the offending value, when showing it helps.
	Value any
}

// Error is a failure of a known kind.
type Error struct {
	Kind    Kind
	Message string
	Details []Detail
	Err     error // the cause, if any
}

func (e *Error) Error() string {
	msg := e.Message
	for i, d := range e.Details {
		if i == 3 {
			msg += fmt.Sprintf("; and %d more", len(e.Details)-3)
			break
		}
		msg += "; " + d.Location + ": " + d.Message
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// E makes an error of a kind with a formatted message.
func E(kind Kind, format string, args ...any) error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Invalidf makes an Invalid error with its details.
func Invalidf(details []Detail, format string, args ...any) error {
	return &Error{Kind: Invalid, Message: fmt.Sprintf(format, args...), Details: details}
}

// KindOf is the kind of err, Internal when it carries none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// DetailsOf are the details of err, if it carries any.
func DetailsOf(err error) []Detail {
	var e *Error
	if errors.As(err, &e) {
		return e.Details
	}
	return nil
}
