package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/rastro/rastro"
)

// Body limits.
const (
	maxBody       = 1 << 20  // 1 MiB
	maxReportBody = 10 << 20 // 10 MiB
)

// itoa formats an int64.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// decodeJSON reads one JSON object from the body into v, rejecting unknown
// fields, trailing data and bodies over limit, with a message that says what
// is wrong.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if e := errTooLarge(err); e != nil {
			return e
		}
		return rastro.Errorf(rastro.EINVALID, "The request body must hold exactly one JSON object.")
	}
	return nil
}

// jsonError turns a decoding error into an EINVALID (or too-large) error
// whose message names the problem.
func jsonError(err error) error {
	if e := errTooLarge(err); e != nil {
		return e
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return rastro.Errorf(rastro.EINVALID, "The request body is empty; send a JSON object.")
	case errors.As(err, &syn):
		return rastro.Errorf(rastro.EINVALID, "The request body is not valid JSON (at byte %d).", syn.Offset)
	case errors.As(err, &typ):
		return rastro.Errorf(rastro.EINVALID, "Field %q must be of type %s.", typ.Field, typ.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return rastro.Errorf(rastro.EINVALID, "Unknown field %s in the request body.", strings.TrimPrefix(err.Error(), "json: unknown field "))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return rastro.Errorf(rastro.EINVALID, "The request body is truncated JSON.")
	}
	return rastro.Errorf(rastro.EINVALID, "The request body could not be read as JSON.")
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// pathID parses the positive integer path parameter name.
func pathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, rastro.Errorf(rastro.EINVALID, "Path parameter %s must be a positive integer, not %q.", name, truncate(v, 40))
	}
	return id, nil
}

// queryInt parses an optional non-negative integer query parameter.
func queryInt(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, rastro.Errorf(rastro.EINVALID, "Query parameter %s must be a non-negative integer.", name)
	}
	return n, nil
}

// queryID parses an optional positive int64 query parameter.
func queryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, rastro.Errorf(rastro.EINVALID, "Query parameter %s must be a positive integer.", name)
	}
	return n, nil
}

// truncate shortens s to n runes for messages.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
