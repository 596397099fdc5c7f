package auth

import (
	"context"
	"testing"
	"time"

	"github.com/rastro/rastro"
)

// memUsers is an in-memory LoginStore that applies RecordLogin as the store
// contract describes.
type memUsers struct {
	users  map[string]*rastro.User
	events []*rastro.AuditEvent
}

func (m *memUsers) UserByUsername(_ context.Context, name string) (*rastro.User, error) {
	if u, ok := m.users[name]; ok {
		c := *u
		return &c, nil
	}
	return nil, rastro.Errorf(rastro.ENOTFOUND, "no user")
}

func (m *memUsers) RecordLogin(_ context.Context, id int64, ok bool, lock time.Time, remote string) error {
	for _, u := range m.users {
		if u.ID != id {
			continue
		}
		action := "login"
		if ok {
			u.FailedLogins, u.LockedUntil = 0, time.Time{}
		} else {
			action = "login_failed"
			u.FailedLogins++
			if !lock.IsZero() {
				u.LockedUntil = lock
			}
		}
		m.events = append(m.events, &rastro.AuditEvent{UserID: id, Action: action, Remote: remote})
	}
	return nil
}

func (m *memUsers) Audit(_ context.Context, _ rastro.Actor, ev *rastro.AuditEvent) error {
	m.events = append(m.events, ev)
	return nil
}

func newTestAuth(t *testing.T) (*Authenticator, *memUsers, *clock) {
	t.Helper()
	h, err := HashPasswordParams("the right password", fastParams)
	if err != nil {
		t.Fatal(err)
	}
	m := &memUsers{users: map[string]*rastro.User{
		"ana": {ID: 1, Username: "ana", PasswordHash: h, Role: rastro.RoleAnalyst},
		"off": {ID: 2, Username: "off", PasswordHash: h, Disabled: true},
	}}
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	a := NewAuthenticator(m, c.now)
	a.Limiter = NewLimiter(100, time.Minute, c.now)
	return a, m, c
}

func TestLoginOutcomes(t *testing.T) {
	tests := []struct {
		name, user, pw, want string
	}{
		{"ok", "ana", "the right password", ""},
		{"wrong password", "ana", "the wrong password", rastro.EUNAUTHORIZED},
		{"unknown user", "nobody", "the right password", rastro.EUNAUTHORIZED},
		{"disabled", "off", "the right password", rastro.EUNAUTHORIZED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, m, _ := newTestAuth(t)
			_, err := a.Login(context.Background(), tt.user, tt.pw, "192.0.2.1")
			if got := rastro.ErrorCode(err); got != tt.want {
				t.Fatalf("code = %q, want %q (%v)", got, tt.want, err)
			}
			if len(m.events) != 1 || m.events[0].Remote != "192.0.2.1" {
				t.Fatalf("want one audit event with the remote address, got %+v", m.events)
			}
		})
	}
}

func TestLoginLockout(t *testing.T) {
	a, m, c := newTestAuth(t)
	ctx := context.Background()
	for i := range a.Lockout.Threshold {
		if _, err := a.Login(ctx, "ana", "bad password!!", "192.0.2.1"); rastro.ErrorCode(err) != rastro.EUNAUTHORIZED {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if m.users["ana"].LockedUntil.IsZero() {
		t.Fatal("account not locked after threshold")
	}
	if _, err := a.Login(ctx, "ana", "the right password", "192.0.2.1"); rastro.ErrorCode(err) != rastro.ETOOMANY {
		t.Fatalf("locked account with right password: %v, want ETOOMANY", err)
	}
	c.t = c.t.Add(a.Lockout.Duration + time.Second)
	if _, err := a.Login(ctx, "ana", "the right password", "192.0.2.1"); err != nil {
		t.Fatalf("after lock-out: %v", err)
	}
	if m.users["ana"].FailedLogins != 0 {
		t.Fatal("success did not reset the counter")
	}
}

func TestLoginRateLimited(t *testing.T) {
	a, _, _ := newTestAuth(t)
	a.Limiter = NewLimiter(2, time.Minute, a.Now)
	ctx := context.Background()
	a.Login(ctx, "x1", "p", "198.51.100.7")
	a.Login(ctx, "x2", "p", "198.51.100.7")
	if _, err := a.Login(ctx, "ana", "the right password", "198.51.100.7"); rastro.ErrorCode(err) != rastro.ETOOMANY {
		t.Fatalf("third attempt from one address: %v, want ETOOMANY", err)
	}
	if _, err := a.Login(ctx, "ana", "the right password", "198.51.100.8"); err != nil {
		t.Fatalf("other address: %v", err)
	}
}
