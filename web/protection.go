package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rastro/rastro"
)

// needToKnowStore is the part of the store that keeps need-to-know grants
// (store.DB implements it); a store without it is an internal error.
type needToKnowStore interface {
	GrantNeedToKnow(ctx context.Context, actor rastro.Actor, caseID, userID int64, until time.Time, reason string) error
	RevokeNeedToKnow(ctx context.Context, actor rastro.Actor, caseID, userID int64) error
	NeedToKnowGrants(ctx context.Context, actor rastro.Actor, caseID int64) ([]*rastro.NeedToKnowGrant, error)
	OverrideFinding(ctx context.Context, actor rastro.Actor, caseID, findingID int64, entityIDs []string, reason string) (*rastro.Finding, error)
}

// protectionView is the data of a case's victim-protection page.
type protectionView struct {
	CaseID  int64
	Members []*rastro.CaseMember
	Active  []*rastro.NeedToKnowGrant
	Past    []*rastro.NeedToKnowGrant
	MaxDays int
	// Findings that name (possible) victims, for the override form, with
	// the entities they name.
	Findings []*rastro.Finding
	Entities map[string]*rastro.Entity
	Error    string
}

// maxGrantDays is the longest grant the form offers (store.MaxNeedToKnow).
const maxGrantDays = 90

// grants returns the store's need-to-know API.
func (s *Server) grants() (needToKnowStore, error) {
	g, ok := s.store.(needToKnowStore)
	if !ok {
		return nil, rastro.Errorf(rastro.EINTERNAL, "This store keeps no need-to-know grants.")
	}
	return g, nil
}

// leadOnly checks that the actor leads the case; a refusal is audited.
func (s *Server) leadOnly(r *http.Request, caseID int64) error {
	a := actor(r)
	m, err := s.store.Membership(r.Context(), a, caseID)
	if err != nil {
		return err
	}
	if a.System || m.Role == rastro.MemberLead {
		return nil
	}
	err = rastro.Errorf(rastro.EFORBIDDEN, "Only the case's lead manages access to the victims' data.")
	ev := &rastro.AuditEvent{Action: AuditRefused, CaseID: caseID, Object: r.URL.Path, Remote: remoteAddr(r),
		Details: r.Method + " victim protection: " + rastro.ErrorMessage(err)}
	if aerr := s.store.Audit(r.Context(), a, ev); aerr != nil {
		return aerr
	}
	return err
}

// leadAction starts a request only the case's lead may make: it reads the
// case ID and, when param is not "", a second ID from the path, checks the
// actor leads the case and returns the store's grant methods.
func (s *Server) leadAction(r *http.Request, param string) (caseID, id int64, g needToKnowStore, err error) {
	if caseID, err = pathID(r, "caseID"); err != nil {
		return 0, 0, nil, err
	}
	if param != "" {
		if id, err = pathID(r, param); err != nil {
			return 0, 0, nil, err
		}
	}
	if err = s.leadOnly(r, caseID); err != nil {
		return 0, 0, nil, err
	}
	g, err = s.grants()
	return caseID, id, g, err
}

// protectionPage shows the case's need-to-know grants, with forms to grant
// and revoke; the case's lead only.
func (s *Server) protectionPage(w http.ResponseWriter, r *http.Request) {
	s.renderProtection(w, r, http.StatusOK, "")
}

// renderProtection renders the page with an optional form error.
func (s *Server) renderProtection(w http.ResponseWriter, r *http.Request, status int, msg string) {
	caseID, _, g, err := s.leadAction(r, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := protectionView{CaseID: caseID, MaxDays: maxGrantDays, Error: msg}
	if v.Members, err = s.store.Members(r.Context(), actor(r), caseID); err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := g.NeedToKnowGrants(r.Context(), actor(r), caseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.cfg.Now()
	for _, gr := range list {
		if gr.RevokedAt.IsZero() && gr.Until.After(now) {
			v.Active = append(v.Active, gr)
		} else {
			v.Past = append(v.Past, gr)
		}
	}
	if err := s.loadVictimFindings(r, &v); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderScreeningPage(w, r, status, "protection", v)
}

// loadVictimFindings fills the findings that name (possible) victims or
// keep them as subjects by an override.
func (s *Server) loadVictimFindings(r *http.Request, v *protectionView) error {
	all, err := s.store.Findings(r.Context(), actor(r), v.CaseID)
	if err != nil {
		return err
	}
	for _, f := range all {
		if len(f.VictimIDs) > 0 || len(f.OverrideIDs) > 0 {
			v.Findings = append(v.Findings, f)
		}
	}
	v.Entities, err = s.findingEntities(r, v.CaseID, v.Findings)
	return err
}

// overrideFinding records the lead investigator's decision that victims
// named by a finding stay its subjects, with the written reason.
func (s *Server) overrideFinding(w http.ResponseWriter, r *http.Request) {
	caseID, findingID, g, err := s.leadAction(r, "findingID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, rastro.Errorf(rastro.EINVALID, "Unreadable form."))
		return
	}
	ids := r.PostForm["entity_id"]
	if len(ids) == 0 {
		s.renderProtection(w, r, http.StatusBadRequest, "Choose the victims this decision covers.")
		return
	}
	_, err = g.OverrideFinding(r.Context(), actor(r), caseID, findingID, ids, strings.TrimSpace(r.PostFormValue("reason")))
	switch rastro.ErrorCode(err) {
	case "":
		http.Redirect(w, r, fmt.Sprintf("/cases/%d/protection", caseID), http.StatusSeeOther)
	case rastro.EINVALID, rastro.EFORBIDDEN:
		// The lead who is not an investigator, or a reason too short: say
		// why on the page.
		s.renderProtection(w, r, map[string]int{rastro.EINVALID: http.StatusBadRequest, rastro.EFORBIDDEN: http.StatusForbidden}[rastro.ErrorCode(err)], rastro.ErrorMessage(err))
	default:
		s.fail(w, r, err)
	}
}

// grantAccess grants a member need-to-know access for some days with a
// written reason; the store checks the lead and audits.
func (s *Server) grantAccess(w http.ResponseWriter, r *http.Request) {
	caseID, _, g, err := s.leadAction(r, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	user, err1 := strconv.ParseInt(r.PostFormValue("user_id"), 10, 64)
	days, err2 := strconv.Atoi(r.PostFormValue("days"))
	if err1 != nil || err2 != nil || days < 1 || days > maxGrantDays {
		s.renderProtection(w, r, http.StatusBadRequest, fmt.Sprintf("Choose a member and a duration of 1 to %d days.", maxGrantDays))
		return
	}
	until := s.cfg.Now().Add(time.Duration(days) * 24 * time.Hour)
	err = g.GrantNeedToKnow(r.Context(), actor(r), caseID, user, until, strings.TrimSpace(r.PostFormValue("reason")))
	if rastro.ErrorCode(err) == rastro.EINVALID {
		s.renderProtection(w, r, http.StatusBadRequest, rastro.ErrorMessage(err))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/cases/%d/protection", caseID), http.StatusSeeOther)
}

// revokeAccess ends a member's live grants now.
func (s *Server) revokeAccess(w http.ResponseWriter, r *http.Request) {
	caseID, user, g, err := s.leadAction(r, "userID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = g.RevokeNeedToKnow(r.Context(), actor(r), caseID, user)
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		// Already ended (expired, or revoked in another tab).
		s.renderProtection(w, r, http.StatusConflict, rastro.ErrorMessage(err))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/cases/%d/protection", caseID), http.StatusSeeOther)
}
