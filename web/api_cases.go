package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/export"
)

// apiCases lists the cases the user is a member of.
func (s *Server) apiCases(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Cases(r.Context(), actor(r))
	s.respond(w, r, http.StatusOK, list, err)
}

// newCase is the body of POST /api/v1/cases.
type newCase struct {
	Title        string `json:"title"`
	Jurisdiction string `json:"jurisdiction"`
	AgencyID     int64  `json:"agency_id"` // the user's agency when 0
}

// apiCreateCase creates a case led by the caller.
func (s *Server) apiCreateCase(w http.ResponseWriter, r *http.Request) {
	var in newCase
	if err := decodeJSON(w, r, &in, maxBody); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.newCaseFrom(r, in)
	s.respond(w, r, http.StatusCreated, c, err)
}

// newCaseFrom creates the case described by in.
func (s *Server) newCaseFrom(r *http.Request, in newCase) (*rastro.Case, error) {
	if in.AgencyID == 0 {
		in.AgencyID = actor(r).AgencyID
	}
	c := &rastro.Case{AgencyID: in.AgencyID, Title: in.Title, Jurisdiction: in.Jurisdiction, Status: rastro.CaseOpen}
	if err := s.store.CreateCase(r.Context(), actor(r), c); err != nil {
		return nil, err
	}
	return c, nil
}

// caseView is a case with its dashboard counts.
type caseView struct {
	*rastro.Case
	Stats *rastro.CaseStats `json:"stats"`
}

// apiCase returns a case with its stats.
func (s *Server) apiCase(w http.ResponseWriter, r *http.Request) {
	cv, err := s.loadCase(r)
	s.respond(w, r, http.StatusOK, cv, err)
}

// loadCase reads the case of the path and its stats.
func (s *Server) loadCase(r *http.Request) (*caseView, error) {
	id, err := pathID(r, "caseID")
	if err != nil {
		return nil, err
	}
	c, err := s.store.CaseByID(r.Context(), actor(r), id)
	if err != nil {
		return nil, err
	}
	st, err := s.store.CaseStats(r.Context(), actor(r), id)
	if err != nil {
		return nil, err
	}
	return &caseView{Case: c, Stats: st}, nil
}

// apiMembers lists a case's members.
func (s *Server) apiMembers(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "caseID") // checked by the guard
	list, err := s.store.Members(r.Context(), actor(r), id)
	s.respond(w, r, http.StatusOK, list, err)
}

// newMember is the body of POST /api/v1/cases/{caseID}/members.
type newMember struct {
	UserID int64             `json:"user_id"`
	Role   rastro.MemberRole `json:"role"`
}

// apiAddMember adds a member to a case.
func (s *Server) apiAddMember(w http.ResponseWriter, r *http.Request) {
	var in newMember
	if err := decodeJSON(w, r, &in, maxBody); err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := s.newMemberFrom(r, in)
	s.respond(w, r, http.StatusCreated, m, err)
}

// newMemberFrom validates in and adds the member.
func (s *Server) newMemberFrom(r *http.Request, in newMember) (*rastro.CaseMember, error) {
	id, _ := pathID(r, "caseID")
	if in.Role == "" {
		in.Role = rastro.MemberMember
	}
	if in.Role != rastro.MemberMember && in.Role != rastro.MemberLead {
		return nil, rastro.Errorf(rastro.EINVALID, "Member role must be %q or %q.", rastro.MemberMember, rastro.MemberLead)
	}
	if in.UserID <= 0 {
		return nil, rastro.Errorf(rastro.EINVALID, "user_id must be a positive integer.")
	}
	m := &rastro.CaseMember{CaseID: id, UserID: in.UserID, Role: in.Role, AddedAt: s.cfg.Now()}
	if err := s.store.AddMember(r.Context(), actor(r), m); err != nil {
		return nil, err
	}
	return m, nil
}

// entityPage is one page of an entity list.
type entityPage struct {
	Total    int              `json:"total"`
	Offset   int              `json:"offset"`
	Limit    int              `json:"limit"`
	Entities []*rastro.Entity `json:"entities"`
}

// entityFilter parses q, schema, role, offset and limit.
func entityFilter(r *http.Request) (rastro.EntityFilter, error) {
	q := r.URL.Query()
	f := rastro.EntityFilter{Query: q.Get("q"), Schema: q.Get("schema"), Role: rastro.CaseRole(q.Get("role"))}
	var err error
	if f.Offset, err = queryInt(r, "offset"); err != nil {
		return f, err
	}
	if f.Limit, err = queryInt(r, "limit"); err != nil {
		return f, err
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit > 1000 {
		return f, rastro.Errorf(rastro.EINVALID, "Query parameter limit must be at most 1000.")
	}
	return f, nil
}

// listEntities reads one page of the case's entities.
func (s *Server) listEntities(r *http.Request) (*entityPage, error) {
	id, err := pathID(r, "caseID")
	if err != nil {
		return nil, err
	}
	f, err := entityFilter(r)
	if err != nil {
		return nil, err
	}
	list, total, err := s.store.Entities(r.Context(), actor(r), id, f)
	if err != nil {
		return nil, err
	}
	return &entityPage{Total: total, Offset: f.Offset, Limit: f.Limit, Entities: list}, nil
}

// apiEntities lists entities.
func (s *Server) apiEntities(w http.ResponseWriter, r *http.Request) {
	p, err := s.listEntities(r)
	s.respond(w, r, http.StatusOK, p, err)
}

// entityView is an entity with its links and the evidence its statements
// cite, keyed by evidence id.
type entityView struct {
	Entity   *rastro.Entity             `json:"entity"`
	Links    []*rastro.Link             `json:"links"`
	Evidence map[int64]*rastro.Evidence `json:"evidence"`
}

// loadEntity reads the entity of the path with its links and evidence.
func (s *Server) loadEntity(r *http.Request) (*entityView, error) {
	id, err := pathID(r, "caseID")
	if err != nil {
		return nil, err
	}
	e, err := s.store.Entity(r.Context(), actor(r), id, r.PathValue("entityID"))
	if err != nil {
		return nil, err
	}
	links, err := s.store.Links(r.Context(), actor(r), id, e.ID)
	if err != nil {
		return nil, err
	}
	ev, err := s.citedEvidence(r, id, e.Statements)
	if err != nil {
		return nil, err
	}
	return &entityView{Entity: e, Links: links, Evidence: ev}, nil
}

// citedEvidence loads each evidence item the statements cite, once.
func (s *Server) citedEvidence(r *http.Request, caseID int64, sts []*rastro.Statement) (map[int64]*rastro.Evidence, error) {
	out := map[int64]*rastro.Evidence{}
	for _, st := range sts {
		if st.EvidenceID == 0 || out[st.EvidenceID] != nil {
			continue
		}
		ev, err := s.store.EvidenceByID(r.Context(), actor(r), caseID, st.EvidenceID)
		if err != nil {
			return nil, fmt.Errorf("evidence %d: %w", st.EvidenceID, err)
		}
		out[st.EvidenceID] = ev
	}
	return out, nil
}

// apiEntity returns one entity.
func (s *Server) apiEntity(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadEntity(r)
	s.respond(w, r, http.StatusOK, v, err)
}

// statementView is a statement with its full provenance.
type statementView struct {
	Statement *rastro.Statement `json:"statement"`
	Evidence  *rastro.Evidence  `json:"evidence,omitempty"`
	Record    *rastro.Record    `json:"record,omitempty"`
}

// loadStatement reads the statement of the path with its evidence and record.
func (s *Server) loadStatement(r *http.Request) (*statementView, error) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "statementID")
	if err != nil {
		return nil, err
	}
	v := &statementView{}
	if v.Statement, err = s.store.Statement(r.Context(), actor(r), caseID, id); err != nil {
		return nil, err
	}
	if v.Statement.EvidenceID != 0 {
		if v.Evidence, err = s.store.EvidenceByID(r.Context(), actor(r), caseID, v.Statement.EvidenceID); err != nil {
			return nil, err
		}
	}
	if v.Statement.RecordID != 0 {
		if v.Record, err = s.store.RecordByID(r.Context(), actor(r), caseID, v.Statement.RecordID); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// apiStatement returns one statement with its provenance.
func (s *Server) apiStatement(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadStatement(r)
	s.respond(w, r, http.StatusOK, v, err)
}

// apiEvidence lists a case's evidence items.
func (s *Server) apiEvidence(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "caseID")
	list, err := s.store.EvidenceList(r.Context(), actor(r), id)
	s.respond(w, r, http.StatusOK, list, err)
}

// apiFindings lists a case's findings.
func (s *Server) apiFindings(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "caseID")
	list, err := s.store.Findings(r.Context(), actor(r), id)
	s.respond(w, r, http.StatusOK, list, err)
}

// apiJobs lists a case's background jobs.
func (s *Server) apiJobs(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "caseID")
	list, err := s.store.Jobs(r.Context(), actor(r), id)
	s.respond(w, r, http.StatusOK, list, err)
}

// apiExportFtM writes the case as line-delimited FollowTheMoney JSON. The
// export is built in memory first so that a failure writes nothing, and it
// is audited before any byte leaves.
func (s *Server) apiExportFtM(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "caseID")
	var buf bytes.Buffer
	n, err := export.FtM(r.Context(), &buf, s.store, actor(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ev := &rastro.AuditEvent{Time: s.cfg.Now(), UserID: actor(r).UserID, Username: actor(r).Username, Action: "export",
		CaseID: id, Object: fmt.Sprintf("case:%d", id), Purpose: actor(r).Purpose,
		Details: fmt.Sprintf("ftm, %d entities", n), Remote: remoteAddr(r)}
	if err := s.store.Audit(r.Context(), actor(r), ev); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"case-%d.ftm.json\"", id))
	_, _ = io.Copy(w, &buf)
}

// apiAudit lists audit events, newest first.
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	f, err := auditFilter(r)
	var list []*rastro.AuditEvent
	if err == nil {
		list, err = s.store.AuditEvents(r.Context(), actor(r), f)
	}
	s.respond(w, r, http.StatusOK, list, err)
}

// auditFilter parses action, case, user, before and limit.
func auditFilter(r *http.Request) (rastro.AuditFilter, error) {
	f := rastro.AuditFilter{Action: r.URL.Query().Get("action")}
	var err error
	if f.CaseID, err = queryID(r, "case"); err != nil {
		return f, err
	}
	if f.UserID, err = queryID(r, "user"); err != nil {
		return f, err
	}
	if f.Before, err = queryID(r, "before"); err != nil {
		return f, err
	}
	if f.Limit, err = queryInt(r, "limit"); err != nil {
		return f, err
	}
	if f.Limit == 0 || f.Limit > 500 {
		f.Limit = 100
	}
	return f, nil
}

// apiSubmitReport stores a provider's JSON report as received, with its
// SHA-256.
func (s *Server) apiSubmitReport(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxReportBody))
	if err != nil {
		if e := errTooLarge(err); e != nil {
			err = e
		}
		s.fail(w, r, err)
		return
	}
	rep, err := s.submitReport(r, body)
	s.respond(w, r, http.StatusCreated, rep, err)
}

// submitReport validates body as a JSON object and stores it.
func (s *Server) submitReport(r *http.Request, body []byte) (*rastro.ProviderReport, error) {
	var head map[string]json.RawMessage
	if err := json.Unmarshal(body, &head); err != nil {
		return nil, rastro.Errorf(rastro.EINVALID, "A report must be one JSON object: %s", rastro.ErrorMessage(jsonError(err)))
	}
	sum := sha256.Sum256(body)
	rep := &rastro.ProviderReport{AgencyID: actor(r).AgencyID, SubmittedBy: actor(r).UserID,
		SHA256: hex.EncodeToString(sum[:]), Payload: body, ReceivedAt: s.cfg.Now()}
	var ext string
	if raw, ok := head["external_id"]; ok && json.Unmarshal(raw, &ext) == nil {
		rep.ExternalID = truncate(ext, 200)
	}
	if err := s.store.SubmitReport(r.Context(), actor(r), rep); err != nil {
		return nil, err
	}
	return rep, nil
}

// apiReports lists provider reports.
func (s *Server) apiReports(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Reports(r.Context(), actor(r))
	s.respond(w, r, http.StatusOK, list, err)
}
