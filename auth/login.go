package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/rastro/rastro"
)

// Lockout is the lock-out rule: after Threshold consecutive failed logins an
// account is locked for Duration.
type Lockout struct {
	Threshold int
	Duration  time.Duration
}

// DefaultLockout locks an account for 15 minutes after 5 failures.
func DefaultLockout() Lockout { return Lockout{Threshold: 5, Duration: 15 * time.Minute} }

// Locked reports whether u is locked at now.
func (l Lockout) Locked(u *rastro.User, now time.Time) bool {
	return now.Before(u.LockedUntil)
}

// LockUntil returns when u must be locked until after one more failure at
// now, or the zero time when that failure stays below the threshold.
func (l Lockout) LockUntil(u *rastro.User, now time.Time) time.Time {
	if l.Threshold > 0 && u.FailedLogins+1 >= l.Threshold {
		return now.Add(l.Duration)
	}
	return time.Time{}
}

// LoginStore is what the authenticator needs from the store.
type LoginStore interface {
	UserByUsername(ctx context.Context, username string) (*rastro.User, error)
	RecordLogin(ctx context.Context, userID int64, ok bool, lockUntil time.Time, remote string) error
	Audit(ctx context.Context, actor rastro.Actor, ev *rastro.AuditEvent) error
}

// Authenticator checks passwords with rate limiting and lock-out.
type Authenticator struct {
	Store   LoginStore
	Limiter *Limiter // attempts per remote address and per username
	Lockout Lockout
	Now     func() time.Time
}

// NewAuthenticator returns an authenticator with the default lock-out rule
// and a limiter of 10 attempts per key per 5 minutes.
func NewAuthenticator(s LoginStore, now func() time.Time) *Authenticator {
	if now == nil {
		now = time.Now
	}
	return &Authenticator{Store: s, Limiter: NewLimiter(10, 5*time.Minute, now), Lockout: DefaultLockout(), Now: now}
}

// errBadLogin is deliberately the same for an unknown user, a wrong password
// and a disabled account.
func errBadLogin() error {
	return rastro.Errorf(rastro.EUNAUTHORIZED, "Wrong username or password.")
}

// dummyHash is verified against when the username is unknown, so that the
// response time does not tell which usernames exist.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$/RxAlMUZF4yCBaRBBfBj10ZFhGWG4LgwW8m3hLA0fkw"

// Login returns the user whose password matches. It returns ETOOMANY while
// the remote address or username is rate limited or the account is locked,
// and EUNAUTHORIZED for any other failure. Every outcome for a known user is
// recorded through RecordLogin (which audits it); failures for unknown users
// are audited without the attempted name.
func (a *Authenticator) Login(ctx context.Context, username, password, remote string) (*rastro.User, error) {
	if !a.Limiter.Allow("addr:"+remote, "user:"+username) {
		a.audit(ctx, "login_rate_limited", "", remote)
		return nil, rastro.Errorf(rastro.ETOOMANY, "Too many login attempts. Wait a few minutes and try again.")
	}
	u, err := a.Store.UserByUsername(ctx, username)
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		_, _ = VerifyPassword(dummyHash, password)
		a.audit(ctx, "login_failed", "unknown username", remote)
		return nil, errBadLogin()
	} else if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	now := a.Now()
	if a.Lockout.Locked(u, now) {
		a.audit(ctx, "login_locked", "user:"+fmt.Sprint(u.ID), remote)
		return nil, rastro.Errorf(rastro.ETOOMANY, "This account is locked after too many failed logins. Try again after %s.", u.LockedUntil.UTC().Format("15:04 MST"))
	}
	ok, err := VerifyPassword(u.PasswordHash, password)
	if err != nil || !ok || u.Disabled {
		if err := a.Store.RecordLogin(ctx, u.ID, false, a.Lockout.LockUntil(u, now), remote); err != nil {
			return nil, fmt.Errorf("login: record failure: %w", err)
		}
		return nil, errBadLogin()
	}
	if err := a.Store.RecordLogin(ctx, u.ID, true, time.Time{}, remote); err != nil {
		return nil, fmt.Errorf("login: record success: %w", err)
	}
	a.Limiter.Reset("user:" + username)
	return u, nil
}

// audit appends a login event; a failure to audit must not reveal anything
// to the caller, so it is ignored here (the store logs its own errors).
func (a *Authenticator) audit(ctx context.Context, action, details, remote string) {
	ev := &rastro.AuditEvent{Time: a.Now(), Action: action, Details: details, Remote: remote}
	_ = a.Store.Audit(ctx, rastro.SystemActor("login"), ev)
}
