package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/rastro/rastro"
)

// statusOf maps rastro error codes to HTTP status codes: the one table.
var statusOf = map[string]int{
	rastro.EINVALID:      http.StatusBadRequest,
	rastro.EUNAUTHORIZED: http.StatusUnauthorized,
	rastro.EFORBIDDEN:    http.StatusForbidden,
	rastro.ENOTFOUND:     http.StatusNotFound,
	rastro.ECONFLICT:     http.StatusConflict,
	rastro.ETOOMANY:      http.StatusTooManyRequests,
	rastro.EUNAVAILABLE:  http.StatusServiceUnavailable,
	rastro.EINTERNAL:     http.StatusInternalServerError,
	eTOOLARGE:            http.StatusRequestEntityTooLarge,
}

// eTOOLARGE is the web layer's own code for bodies over the limit.
const eTOOLARGE = "too_large"

// problem is an RFC 9457 problem details object.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
}

// statusFor returns the HTTP status for err.
func statusFor(err error) int {
	if st, ok := statusOf[rastro.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// isAPI reports whether the request is for the JSON API (problem objects)
// rather than the UI (HTML error pages).
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// fail writes err as a problem object (API) or an error page (UI). Internal
// errors are logged with the request id and shown as a generic message.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	st := statusFor(err)
	if st == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "internal error", "request_id", reqInfo(r).id, "err", err)
	}
	if !isAPI(r) {
		s.errorPage(w, r, st, rastro.ErrorMessage(err))
		return
	}
	writeProblem(w, r, st, rastro.ErrorCode(err), rastro.ErrorMessage(err))
}

// writeProblem writes an RFC 9457 problem object.
func writeProblem(w http.ResponseWriter, r *http.Request, status int, code, detail string) {
	if code == "" {
		code = "error"
	}
	p := problem{
		Type:     "https://rastro.example/problems/" + code,
		Title:    http.StatusText(status),
		Status:   status,
		Detail:   detail,
		Instance: reqInfo(r).id,
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// errTooLarge converts a MaxBytesReader failure into a rastro-coded error.
func errTooLarge(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &rastro.Error{Code: eTOOLARGE, Message: "The request body is larger than the limit of " + humanBytes(mbe.Limit) + "."}
	}
	return nil
}

// humanBytes formats a limit in MiB.
func humanBytes(n int64) string {
	if n%(1<<20) == 0 {
		return itoa(n>>20) + " MiB"
	}
	return itoa(n) + " bytes"
}
