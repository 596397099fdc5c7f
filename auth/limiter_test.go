package auth

import (
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestLimiterSlidingWindow(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := NewLimiter(3, time.Minute, c.now)
	for i := range 3 {
		if !l.Allow("a") {
			t.Fatalf("attempt %d denied", i)
		}
		c.t = c.t.Add(10 * time.Second)
	}
	if l.Allow("a") {
		t.Fatal("fourth attempt within the window allowed")
	}
	if !l.Allow("b") {
		t.Fatal("other key denied")
	}
	c.t = c.t.Add(31 * time.Second) // first attempt now 61 s old
	if !l.Allow("a") {
		t.Fatal("attempt after the oldest slid out denied")
	}
	if l.Allow("a") {
		t.Fatal("window should be full again")
	}
}

func TestLimiterAllKeys(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	l := NewLimiter(2, time.Minute, c.now)
	l.Allow("addr:1", "user:x")
	l.Allow("addr:2", "user:x")
	if l.Allow("addr:3", "user:x") {
		t.Fatal("username limit ignored")
	}
	if got := len(l.events["addr:3"]); got != 0 {
		t.Fatalf("denied attempt recorded %d events", got)
	}
	l.Reset("user:x")
	if !l.Allow("addr:3", "user:x") {
		t.Fatal("reset did not clear the key")
	}
}
