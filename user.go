package rastro

import (
	"context"
	"time"
)

// Role is a user's platform-wide role. It decides which kinds of action a user
// may take; case membership decides on which cases.
type Role string

// The roles of DESIGN §1. Providers may only submit reports; auditors may only
// read the audit log; admins manage agencies, users and case membership but
// read case data only where they are members.
const (
	RoleAdmin        Role = "admin"
	RoleAnalyst      Role = "analyst"
	RoleInvestigator Role = "investigator"
	RoleCaseworker   Role = "caseworker"
	RoleAuditor      Role = "auditor"
	RoleProvider     Role = "provider"
)

// Roles lists every role, in the order the UI shows them.
var Roles = []Role{RoleAdmin, RoleAnalyst, RoleInvestigator, RoleCaseworker, RoleAuditor, RoleProvider}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// AgencyKind classifies an agency.
type AgencyKind string

// Agency kinds.
const (
	AgencyPolice     AgencyKind = "police"
	AgencyProsecutor AgencyKind = "prosecutor"
	AgencyNGO        AgencyKind = "ngo"
	AgencyProvider   AgencyKind = "provider"
	AgencyIO         AgencyKind = "international_organisation"
	AgencyOther      AgencyKind = "other"
)

// AgencyKinds lists every agency kind.
var AgencyKinds = []AgencyKind{AgencyPolice, AgencyProsecutor, AgencyNGO, AgencyProvider, AgencyIO, AgencyOther}

// Agency is an organisation whose users work in Rastro.
type Agency struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Country   string     `json:"country"` // ISO 3166-1 alpha-2
	Kind      AgencyKind `json:"kind"`
	CreatedAt time.Time  `json:"created_at"`
}

// User is a person who logs in. PasswordHash never leaves the store layer in
// API responses (it is tagged out of JSON).
type User struct {
	ID           int64     `json:"id"`
	AgencyID     int64     `json:"agency_id"`
	Username     string    `json:"username"`
	DisplayName  string    `json:"display_name"`
	Role         Role      `json:"role"`
	Language     string    `json:"language"` // "en", "es" or "" for the browser's choice
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	FailedLogins int       `json:"-"`
	LockedUntil  time.Time `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// Actor is who performs a store call: every read and write takes one, and
// the store filters by it. System is true only for internal jobs and CLI
// administration run by the machine's operator.
type Actor struct {
	UserID   int64
	Username string
	Role     Role
	AgencyID int64
	System   bool
	Purpose  string // stated purpose, recorded in audit events
}

// SystemActor returns the actor used by the command line and background jobs.
func SystemActor(purpose string) Actor {
	return Actor{Username: "system", Role: RoleAdmin, System: true, Purpose: purpose}
}

// ActorOf returns the actor for a logged-in user.
func ActorOf(u *User) Actor {
	return Actor{UserID: u.ID, Username: u.Username, Role: u.Role, AgencyID: u.AgencyID}
}

// Session is a server-side login session. Only the SHA-256 of its token is
// stored; the token itself lives in the user's cookie.
type Session struct {
	TokenHash []byte
	UserID    int64
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
	LastSeen  time.Time
}

// APIToken is a machine credential. The secret is shown once at creation;
// the store keeps only its SHA-256.
type APIToken struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	Prefix    string    `json:"prefix"` // first characters, to recognise a token in lists
	Hash      []byte    `json:"-"`
	Scopes    []string  `json:"scopes"` // "read", "write", "report"
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
	LastUsed  time.Time `json:"last_used,omitzero"`
}

// Token scopes.
const (
	ScopeRead   = "read"
	ScopeWrite  = "write"
	ScopeReport = "report"
)

// AgencyService manages agencies. Creating one requires RoleAdmin or the
// system actor (EFORBIDDEN otherwise); listing is open to every user.
type AgencyService interface {
	CreateAgency(ctx context.Context, actor Actor, a *Agency) error // EINVALID, ECONFLICT, EFORBIDDEN
	Agencies(ctx context.Context, actor Actor) ([]*Agency, error)
	AgencyByID(ctx context.Context, actor Actor, id int64) (*Agency, error) // ENOTFOUND
}

// UserService manages users and credentials. Creating, changing roles and
// listing all users require RoleAdmin or the system actor.
type UserService interface {
	CreateUser(ctx context.Context, actor Actor, u *User) error // EINVALID, ECONFLICT, EFORBIDDEN
	Users(ctx context.Context, actor Actor) ([]*User, error)
	UserByID(ctx context.Context, actor Actor, id int64) (*User, error) // ENOTFOUND
	// UserByUsername is for authentication only: it is not filtered.
	UserByUsername(ctx context.Context, username string) (*User, error) // ENOTFOUND
	// UpdateUser changes display name, role, language and disabled flag.
	// Changing a role is audited. Users may change their own language.
	UpdateUser(ctx context.Context, actor Actor, u *User) error
	SetPassword(ctx context.Context, actor Actor, userID int64, hash string) error
	// RecordLogin stores the outcome of a login attempt: on failure it
	// increments the counter and sets LockedUntil when lock is non-zero; on
	// success it resets both. Both outcomes are audited.
	RecordLogin(ctx context.Context, userID int64, ok bool, lockUntil time.Time, remote string) error

	CreateSession(ctx context.Context, s *Session) error
	SessionByHash(ctx context.Context, hash []byte) (*Session, error) // ENOTFOUND when absent or expired
	TouchSession(ctx context.Context, hash []byte, lastSeen time.Time) error
	DeleteSession(ctx context.Context, hash []byte) error

	CreateAPIToken(ctx context.Context, actor Actor, t *APIToken) error
	APITokens(ctx context.Context, actor Actor, userID int64) ([]*APIToken, error)
	APITokenByHash(ctx context.Context, hash []byte) (*APIToken, error) // ENOTFOUND when absent, revoked or expired
	RevokeAPIToken(ctx context.Context, actor Actor, id int64) error
}
