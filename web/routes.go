package web

import (
	"net/http"

	"github.com/rastro/rastro"
)

// rule says who may call a route. Exactly one of public, anyone and perm
// must be set; a zero rule is a bug the authorisation-matrix test catches.
type rule struct {
	public bool              // no credentials needed
	anyone bool              // any authenticated user
	perm   rastro.Permission // the role must hold this permission
	// inCase means the route has a {caseID} and needs membership of it.
	inCase bool
	// scope is the API-token scope that may call the route; "" means a
	// browser session only.
	scope string
	// ownCredentials marks a public route that checks its own credentials
	// (the metrics token): user authentication is skipped, so its bearer
	// token is not taken for an API token.
	ownCredentials bool
}

// defined reports whether the rule says anything.
func (r rule) defined() bool { return r.public || r.anyone || r.perm != "" }

// route is one entry of the table.
type route struct {
	method  string
	pattern string
	rule    rule
	handler func(*Server, http.ResponseWriter, *http.Request)
}

// perm returns a rule needing permission p with token scope scope.
func perm(p rastro.Permission, scope string) rule { return rule{perm: p, scope: scope} }

// inCase returns a case-scoped rule needing permission p.
func inCase(p rastro.Permission, scope string) rule { return rule{perm: p, inCase: true, scope: scope} }

const (
	read   = rastro.ScopeRead
	write  = rastro.ScopeWrite
	report = rastro.ScopeReport
)

// routes is the route table: the single source of truth for the mux, the
// authorisation middleware, the OpenAPI test and the authorisation matrix.
func (s *Server) routes() []route {
	public := rule{public: true}
	signedIn := rule{anyone: true}
	signedInRO := rule{anyone: true, scope: read}
	return []route{
		// Operations.
		{"GET", "/healthz", public, (*Server).healthz},
		{"GET", "/readyz", public, (*Server).readyz},
		{"GET", "/metrics", rule{public: true, ownCredentials: true}, (*Server).metricsHandler},
		{"GET", "/static/", public, (*Server).static},
		{"GET", "/api/v1/openapi.json", public, (*Server).openapi},

		// JSON API v1.
		{"GET", "/api/v1/me", signedInRO, (*Server).apiMe},
		{"PATCH", "/api/v1/me", rule{anyone: true, scope: write}, (*Server).apiUpdateMe},
		{"GET", "/api/v1/agencies", signedInRO, (*Server).apiAgencies},
		{"POST", "/api/v1/agencies", perm(rastro.PermManageAgencies, write), (*Server).apiCreateAgency},
		{"GET", "/api/v1/users", perm(rastro.PermManageUsers, read), (*Server).apiUsers},
		{"POST", "/api/v1/users", perm(rastro.PermManageUsers, write), (*Server).apiCreateUser},
		{"PATCH", "/api/v1/users/{userID}", perm(rastro.PermManageUsers, write), (*Server).apiUpdateUser},
		{"POST", "/api/v1/users/{userID}/password", perm(rastro.PermManageUsers, write), (*Server).apiSetPassword},
		{"GET", "/api/v1/tokens", signedIn, (*Server).apiTokens},
		{"POST", "/api/v1/tokens", signedIn, (*Server).apiCreateToken},
		{"DELETE", "/api/v1/tokens/{tokenID}", signedIn, (*Server).apiRevokeToken},
		{"GET", "/api/v1/cases", perm(rastro.PermReadCase, read), (*Server).apiCases},
		{"POST", "/api/v1/cases", perm(rastro.PermCreateCase, write), (*Server).apiCreateCase},
		{"GET", "/api/v1/cases/{caseID}", inCase(rastro.PermReadCase, read), (*Server).apiCase},
		{"GET", "/api/v1/cases/{caseID}/members", inCase(rastro.PermReadCase, read), (*Server).apiMembers},
		{"POST", "/api/v1/cases/{caseID}/members", inCase(rastro.PermWriteCase, write), (*Server).apiAddMember},
		{"GET", "/api/v1/cases/{caseID}/entities", inCase(rastro.PermReadCase, read), (*Server).apiEntities},
		{"GET", "/api/v1/cases/{caseID}/entities/{entityID}", inCase(rastro.PermReadCase, read), (*Server).apiEntity},
		{"GET", "/api/v1/cases/{caseID}/statements/{statementID}", inCase(rastro.PermReadCase, read), (*Server).apiStatement},
		{"GET", "/api/v1/cases/{caseID}/entities/{entityID}/screenings", inCase(rastro.PermReadVictims, read), (*Server).apiScreenings},
		{"GET", "/api/v1/cases/{caseID}/screenings/{screeningID}", inCase(rastro.PermReadVictims, read), (*Server).apiScreening},
		{"GET", "/api/v1/cases/{caseID}/entities/{entityID}/referrals", inCase(rastro.PermReadVictims, read), (*Server).apiReferrals},
		{"POST", "/api/v1/cases/{caseID}/entities/{entityID}/referrals", inCase(rastro.PermReadVictims, write), (*Server).apiCreateReferral},
		{"PATCH", "/api/v1/cases/{caseID}/referrals/{referralID}", inCase(rastro.PermReadVictims, write), (*Server).apiUpdateReferral},
		{"GET", "/api/v1/cases/{caseID}/evidence", inCase(rastro.PermReadCase, read), (*Server).apiEvidence},
		{"POST", "/api/v1/cases/{caseID}/evidence", inCase(rastro.PermWriteCase, write), (*Server).apiUploadEvidence},
		{"GET", "/api/v1/cases/{caseID}/evidence/{evidenceID}", inCase(rastro.PermReadCase, read), (*Server).apiEvidenceItem},
		{"GET", "/api/v1/cases/{caseID}/evidence/{evidenceID}/custody", inCase(rastro.PermReadCase, read), (*Server).apiEvidenceCustody},
		{"GET", "/api/v1/cases/{caseID}/evidence/{evidenceID}/content", inCase(rastro.PermReadCase, read), (*Server).apiEvidenceContent},
		{"GET", "/api/v1/cases/{caseID}/findings", inCase(rastro.PermReadCase, read), (*Server).apiFindings},
		{"PATCH", "/api/v1/cases/{caseID}/findings/{findingID}", inCase(rastro.PermWriteCase, write), (*Server).apiSetTriage},
		{"GET", "/api/v1/cases/{caseID}/judgements", inCase(rastro.PermReadCase, read), (*Server).apiJudgements},
		{"POST", "/api/v1/cases/{caseID}/judgements", inCase(rastro.PermWriteCase, write), (*Server).apiJudge},
		{"POST", "/api/v1/cases/{caseID}/judgements/{judgementID}/undo", inCase(rastro.PermWriteCase, write), (*Server).apiUndoJudgement},
		{"GET", "/api/v1/cases/{caseID}/identities", inCase(rastro.PermReadCase, read), (*Server).apiIdentities},
		{"GET", "/api/v1/cases/{caseID}/jobs", inCase(rastro.PermReadCase, read), (*Server).apiJobs},
		{"GET", "/api/v1/cases/{caseID}/export/ftm", inCase(rastro.PermReadCase, read), (*Server).apiExportFtM},
		{"GET", "/api/v1/cases/{caseID}/graph", inCase(rastro.PermReadCase, read), (*Server).apiGraph},
		{"GET", "/api/v1/cases/{caseID}/graph/path", inCase(rastro.PermReadCase, read), (*Server).apiGraphPath},
		{"GET", "/api/v1/cases/{caseID}/graph.graphml", inCase(rastro.PermReadCase, read), (*Server).apiGraphML},
		{"GET", "/api/v1/cases/{caseID}/trace", inCase(rastro.PermReadCase, read), (*Server).apiTrace},
		{"GET", "/api/v1/cases/{caseID}/money/mappings", inCase(rastro.PermReadCase, read), (*Server).apiMappings},
		{"POST", "/api/v1/cases/{caseID}/money/mappings", inCase(rastro.PermWriteCase, write), (*Server).apiPostMapping},
		{"GET", "/api/v1/audit", perm(rastro.PermReadAudit, read), (*Server).apiAudit},
		{"POST", "/api/v1/reports", perm(rastro.PermSubmitReport, report), (*Server).apiSubmitReport},
		{"GET", "/api/v1/reports", perm(rastro.PermReadReports, read), (*Server).apiReports},

		// UI.
		{"GET", "/login", public, (*Server).loginPage},
		{"POST", "/login", public, (*Server).login},
		{"POST", "/logout", signedIn, (*Server).logout},
		{"GET", "/{$}", signedIn, (*Server).home},
		{"POST", "/language", signedIn, (*Server).setLanguage},
		{"GET", "/cases", perm(rastro.PermReadCase, ""), (*Server).casesPage},
		{"POST", "/cases", perm(rastro.PermCreateCase, ""), (*Server).createCase},
		{"GET", "/cases/{caseID}", inCase(rastro.PermReadCase, ""), (*Server).casePage},
		{"GET", "/cases/{caseID}/jobs", inCase(rastro.PermReadCase, ""), (*Server).caseJobs},
		{"POST", "/cases/{caseID}/members", inCase(rastro.PermWriteCase, ""), (*Server).addMember},
		{"GET", "/cases/{caseID}/entities", inCase(rastro.PermReadCase, ""), (*Server).entitiesPage},
		{"GET", "/cases/{caseID}/entities/{entityID}", inCase(rastro.PermReadCase, ""), (*Server).entityPage},
		{"GET", "/cases/{caseID}/statements/{statementID}", inCase(rastro.PermReadCase, ""), (*Server).statementPage},
		{"GET", "/cases/{caseID}/entities/{entityID}/screenings", inCase(rastro.PermReadVictims, ""), (*Server).screeningsPage},
		{"POST", "/cases/{caseID}/entities/{entityID}/screenings", inCase(rastro.PermReadVictims, ""), (*Server).startScreening},
		{"GET", "/cases/{caseID}/screenings/{screeningID}", inCase(rastro.PermReadVictims, ""), (*Server).screeningPage},
		{"POST", "/cases/{caseID}/screenings/{screeningID}", inCase(rastro.PermReadVictims, ""), (*Server).saveScreening},
		{"GET", "/cases/{caseID}/entities/{entityID}/referrals", inCase(rastro.PermReadVictims, ""), (*Server).referralsPage},
		{"POST", "/cases/{caseID}/entities/{entityID}/referrals", inCase(rastro.PermReadVictims, ""), (*Server).createReferral},
		{"POST", "/cases/{caseID}/referrals/{referralID}", inCase(rastro.PermReadVictims, ""), (*Server).updateReferral},
		// Need-to-know grants: members may reach the page, the handler
		// admits the case's lead only (and audits a refusal).
		{"GET", "/cases/{caseID}/protection", inCase(rastro.PermReadCase, ""), (*Server).protectionPage},
		{"POST", "/cases/{caseID}/protection/grants", inCase(rastro.PermReadCase, ""), (*Server).grantAccess},
		{"POST", "/cases/{caseID}/protection/grants/{userID}/revoke", inCase(rastro.PermReadCase, ""), (*Server).revokeAccess},
		{"POST", "/cases/{caseID}/protection/overrides/{findingID}", inCase(rastro.PermReadCase, ""), (*Server).overrideFinding},
		{"GET", "/cases/{caseID}/evidence", inCase(rastro.PermReadCase, ""), (*Server).evidenceListPage},
		{"GET", "/cases/{caseID}/evidence/new", inCase(rastro.PermWriteCase, ""), (*Server).uploadPage},
		{"POST", "/cases/{caseID}/evidence", inCase(rastro.PermWriteCase, ""), (*Server).uploadEvidence},
		{"GET", "/cases/{caseID}/evidence/{evidenceID}", inCase(rastro.PermReadCase, ""), (*Server).evidencePage},
		{"POST", "/cases/{caseID}/evidence/{evidenceID}/reveal", inCase(rastro.PermReadCase, ""), (*Server).revealEvidence},
		{"GET", "/cases/{caseID}/evidence/{evidenceID}/content", inCase(rastro.PermReadCase, ""), (*Server).evidenceContent},
		{"GET", "/cases/{caseID}/findings", inCase(rastro.PermReadCase, ""), (*Server).findingsPage},
		{"GET", "/cases/{caseID}/network", inCase(rastro.PermReadCase, ""), (*Server).networkPage},
		{"POST", "/cases/{caseID}/findings/{findingID}/triage", inCase(rastro.PermWriteCase, ""), (*Server).setTriageForm},
		{"GET", "/cases/{caseID}/identities", inCase(rastro.PermReadCase, ""), (*Server).identitiesPage},
		{"POST", "/cases/{caseID}/identities/resolve", inCase(rastro.PermWriteCase, ""), (*Server).resolveIdentities},
		{"POST", "/cases/{caseID}/judgements", inCase(rastro.PermWriteCase, ""), (*Server).judgeForm},
		{"POST", "/cases/{caseID}/judgements/{judgementID}/undo", inCase(rastro.PermWriteCase, ""), (*Server).undoJudgementForm},
		{"GET", "/cases/{caseID}/accounts/{entityID}", inCase(rastro.PermReadCase, ""), (*Server).accountPage},
		{"GET", "/cases/{caseID}/payments", inCase(rastro.PermReadCase, ""), (*Server).paymentPage},
		{"GET", "/cases/{caseID}/trace", inCase(rastro.PermReadCase, ""), (*Server).tracePage},
		{"GET", "/cases/{caseID}/money/mappings", inCase(rastro.PermReadCase, ""), (*Server).mappingPage},
		{"POST", "/cases/{caseID}/money/mappings", inCase(rastro.PermWriteCase, ""), (*Server).postMapping},
		{"GET", "/admin/agencies", perm(rastro.PermManageAgencies, ""), (*Server).agenciesPage},
		{"POST", "/admin/agencies", perm(rastro.PermManageAgencies, ""), (*Server).createAgency},
		{"GET", "/admin/users", perm(rastro.PermManageUsers, ""), (*Server).usersPage},
		{"POST", "/admin/users", perm(rastro.PermManageUsers, ""), (*Server).createUser},
		{"POST", "/admin/users/{userID}", perm(rastro.PermManageUsers, ""), (*Server).updateUser},
		{"GET", "/audit", perm(rastro.PermReadAudit, ""), (*Server).auditPage},
		{"GET", "/tokens", signedIn, (*Server).tokensPage},
		{"POST", "/tokens", signedIn, (*Server).createToken},
		{"POST", "/tokens/{tokenID}/revoke", signedIn, (*Server).revokeToken},
	}
}
