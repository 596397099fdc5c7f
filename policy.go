package rastro

// Permission is a kind of action. Which roles hold which permission is one
// table (below), used by the store to filter every query and by the http
// package to build its authorisation matrix.
type Permission string

// Permissions.
const (
	PermManageAgencies Permission = "manage_agencies"
	PermManageUsers    Permission = "manage_users"
	PermCreateCase     Permission = "create_case"
	PermReadCase       Permission = "read_case"  // also needs membership
	PermWriteCase      Permission = "write_case" // also needs membership
	PermReadVictims    Permission = "read_victims"
	PermReadAudit      Permission = "read_audit"
	PermSubmitReport   Permission = "submit_report"
	PermReadReports    Permission = "read_reports"
)

var rolePerms = map[Role][]Permission{
	RoleAdmin:        {PermManageAgencies, PermManageUsers, PermCreateCase, PermReadCase, PermWriteCase, PermReadReports},
	RoleInvestigator: {PermCreateCase, PermReadCase, PermWriteCase, PermReadReports},
	RoleAnalyst:      {PermCreateCase, PermReadCase, PermWriteCase},
	RoleCaseworker:   {PermCreateCase, PermReadCase, PermWriteCase, PermReadVictims},
	RoleAuditor:      {PermReadAudit},
	RoleProvider:     {PermSubmitReport},
}

// Can reports whether the actor's role holds permission p. The system actor
// holds every permission. Case permissions additionally need membership,
// which only the store can check.
func (a Actor) Can(p Permission) bool {
	if a.System {
		return true
	}
	for _, x := range rolePerms[a.Role] {
		if x == p {
			return true
		}
	}
	return false
}

// RoleCan reports whether role r holds permission p.
func RoleCan(r Role, p Permission) bool {
	return Actor{Role: r}.Can(p)
}
