package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/rastro/rastro"
)

// referralsView is the data of a (possible) victim's referrals page.
type referralsView struct {
	Entity    *rastro.Entity
	Referrals []*rastro.Referral
	Services  []rastro.ReferralService
	Statuses  []rastro.ReferralStatus
	Form      *rastro.Referral // the posted form, kept on an error
	Today     string
	Error     string
}

// referralsPage lists a (possible) victim's referrals with a form to make
// one. Caseworkers only; the store audits the listing.
func (s *Server) referralsPage(w http.ResponseWriter, r *http.Request) {
	s.renderReferrals(w, r, http.StatusOK, nil, "")
}

// renderReferrals renders the referrals page with an optional form and error.
func (s *Server) renderReferrals(w http.ResponseWriter, r *http.Request, status int, form *rastro.Referral, msg string) {
	e, list, err := victimRecords(r, s.store.Entity, s.store.Referrals)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if form == nil {
		form = &rastro.Referral{}
	}
	v := referralsView{Entity: e, Referrals: list, Services: rastro.ReferralServices(), Statuses: rastro.ReferralStatuses(),
		Form: form, Today: dateOnly(s.screeningNow()), Error: msg}
	s.renderScreeningPage(w, r, status, "referrals", v)
}

// createReferral records a referral from the form: consent given (with date,
// form and who took it) or a documented exception.
func (s *Server) createReferral(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ref, err := referralForm(r, caseID)
	if err == nil {
		err = s.store.CreateReferral(r.Context(), actor(r), ref)
	}
	if err != nil {
		s.formError(w, r, err, func(msg string) { s.renderReferrals(w, r, statusFor(err), ref, msg) })
		return
	}
	http.Redirect(w, r, referralsURL(caseID, ref.EntityID), http.StatusSeeOther)
}

// referralForm reads a new referral from the posted form.
func referralForm(r *http.Request, caseID int64) (*rastro.Referral, error) {
	ref := &rastro.Referral{CaseID: caseID, EntityID: r.PathValue("entityID"), Status: rastro.ReferralSent,
		Service: rastro.ReferralService(r.PostFormValue("service")), Provider: strings.TrimSpace(r.PostFormValue("provider")),
		Exception: strings.TrimSpace(r.PostFormValue("exception")), Notes: strings.TrimSpace(r.PostFormValue("notes")),
		Consent: rastro.Consent{Given: r.PostFormValue("consent_given") == "yes", Form: rastro.ConsentForm(r.PostFormValue("consent_form")),
			By: strings.TrimSpace(r.PostFormValue("consent_by"))}}
	d, err := formDate(r, "consent_date")
	ref.Consent.Date = d
	return ref, err
}

// referralsURL is the address of an entity's referrals page.
func referralsURL(caseID int64, entityID string) string {
	return fmt.Sprintf("/cases/%d/entities/%s/referrals", caseID, url.PathEscape(entityID))
}

// updateReferral changes a referral's status and notes from the list.
func (s *Server) updateReferral(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r, "referralID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ref, err := s.store.UpdateReferral(r.Context(), actor(r), caseID, id,
		rastro.ReferralStatus(r.PostFormValue("status")), strings.TrimSpace(r.PostFormValue("notes")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, referralsURL(caseID, ref.EntityID), http.StatusSeeOther)
}

// referralInput is the body of POST .../entities/{entityID}/referrals.
type referralInput struct {
	Service   rastro.ReferralService `json:"service"`
	Provider  string                 `json:"provider"`
	Consent   rastro.Consent         `json:"consent"`
	Exception string                 `json:"exception"`
	Notes     string                 `json:"notes"`
}

// referralUpdate is the body of PATCH .../referrals/{referralID}.
type referralUpdate struct {
	Status rastro.ReferralStatus `json:"status"`
	Notes  string                `json:"notes"`
}

// apiReferrals lists a (possible) victim's referrals (caseworkers; audited).
func (s *Server) apiReferrals(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.store.Referrals(r.Context(), actor(r), caseID, r.PathValue("entityID"))
	if list == nil {
		list = []*rastro.Referral{}
	}
	s.respond(w, r, http.StatusOK, list, err)
}

// apiCreateReferral records a referral with consent or a documented exception.
func (s *Server) apiCreateReferral(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in referralInput
	if err := decodeJSON(w, r, &in, maxBody); err != nil {
		s.fail(w, r, err)
		return
	}
	ref := &rastro.Referral{CaseID: caseID, EntityID: r.PathValue("entityID"), Service: in.Service, Provider: in.Provider,
		Consent: in.Consent, Exception: in.Exception, Notes: in.Notes, Status: rastro.ReferralSent}
	err = s.store.CreateReferral(r.Context(), actor(r), ref)
	s.respond(w, r, http.StatusCreated, ref, err)
}

// apiUpdateReferral changes a referral's status and notes (audited).
func (s *Server) apiUpdateReferral(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r, "referralID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in referralUpdate
	if err := decodeJSON(w, r, &in, maxBody); err != nil {
		s.fail(w, r, err)
		return
	}
	ref, err := s.store.UpdateReferral(r.Context(), actor(r), caseID, id, in.Status, in.Notes)
	s.respond(w, r, http.StatusOK, ref, err)
}

// victimRecords reads the (possible) victim named by the request's path and
// her records of one kind (screenings, referrals) listed by list, which the
// store audits.
func victimRecords[T any](r *http.Request,
	entity func(context.Context, rastro.Actor, int64, string) (*rastro.Entity, error),
	list func(context.Context, rastro.Actor, int64, string) ([]T, error)) (*rastro.Entity, []T, error) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		return nil, nil, err
	}
	entityID := r.PathValue("entityID")
	items, err := list(r.Context(), actor(r), caseID, entityID)
	if err != nil {
		return nil, nil, err
	}
	e, err := entity(r.Context(), actor(r), caseID, entityID)
	return e, items, err
}
