package screen

import "github.com/rastro/rastro"

// protectingLinks are the link schemas along which a victim's protection
// spreads: what a victim uses (phones, handles) or owns (accounts, wallets)
// identifies them, and so does an ad in which such an identifier appears.
// The same rule as the FtM export's.
func protectingLinks() map[string]bool {
	return map[string]bool{"uses": true, "Ownership": true, "appears_in": true}
}

// RolesFromEntities returns a RoleFunc over a case's entities and links:
// an entity's own case role, and for an entity that a (possible) victim
// uses or owns (directly, or through an identifier that appears in it), or
// whose owner/holder statement names a victim, the victim's role. Where a
// victim and a suspect share an identifier, protection wins: the finding
// shows it as linked to a victim. Unknown IDs are CaseRoleUnknown.
func RolesFromEntities(ents []*rastro.Entity, links []*rastro.Link) RoleFunc {
	roles := map[string]rastro.CaseRole{}
	for _, e := range ents {
		roles[e.ID] = e.CaseRole
	}
	inherited := map[string]rastro.CaseRole{}
	for _, e := range ents {
		for _, st := range e.Statements {
			if (st.Prop == "owner" || st.Prop == "holder") && roles[st.Value].IsVictim() {
				inherited[e.ID] = roles[st.Value]
			}
		}
	}
	spread := protectingLinks()
	for changed := true; changed; {
		changed = false
		for _, l := range links {
			from := effective(roles, inherited, l.SourceID)
			if spread[l.Schema] && from.IsVictim() && !effective(roles, inherited, l.TargetID).IsVictim() {
				inherited[l.TargetID] = from
				changed = true
			}
		}
	}
	return func(id string) rastro.CaseRole {
		return effective(roles, inherited, id)
	}
}

// effective returns the protecting role of id if any, else its own role.
func effective(roles, inherited map[string]rastro.CaseRole, id string) rastro.CaseRole {
	if r, ok := inherited[id]; ok && !roles[id].IsVictim() {
		return r
	}
	if r, ok := roles[id]; ok && r != "" {
		return r
	}
	return rastro.CaseRoleUnknown
}
