package money

import (
	"strconv"
	"strings"
)

// itoa formats an int.
func itoa(n int) string { return strconv.Itoa(n) }

// appendInt formats an int64.
func appendInt(b []byte, v int64) []byte { return strconv.AppendInt(b, v, 10) }

// indexOf is strings.Index, clamped at 0 when absent.
func indexOf(s, sub string) int {
	if i := strings.Index(s, sub); i >= 0 {
		return i
	}
	return 0
}
