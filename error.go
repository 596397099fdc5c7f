// Package rastro holds Rastro's domain types, service interfaces and error
// codes. It imports nothing but the standard library; adapters (sqlite,
// postgres, http, ...) implement or consume what is declared here.
package rastro

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer. The http package maps each one to a
// status code; everything else treats them as opaque labels.
const (
	ECONFLICT     = "conflict"     // the object exists or changed meanwhile
	EINTERNAL     = "internal"     // a bug or an unreachable dependency
	EINVALID      = "invalid"      // the input is wrong; Message says how
	ENOTFOUND     = "not_found"    // no such object, or no access to it
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	EFORBIDDEN    = "forbidden"    // credentials valid, action not allowed
	ETOOMANY      = "too_many"     // rate limit or lock-out in force
	EUNAVAILABLE  = "unavailable"  // the database is down; try again later
)

// Error is an application error with a code and a message safe to show to
// the user. Internal details belong in wrapped errors, never in Message.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface. It returns the message alone, so
// that wrapped errors read naturally on the command line.
func (e *Error) Error() string {
	return e.Message
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the *Error's message,
// or a generic text for internal errors so that no detail leaks.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
