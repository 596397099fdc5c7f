package roles

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/rastro/rastro"
)

// FromCase builds the Input from a case as the store holds it:
//
//   - Person entities (with their case role) and the entities they are
//     linked to by "uses" or "Ownership" links become people and their
//     account keys (the linked entities' IDs);
//   - "Message" links become messages, text from their record; the links
//     of one record and sender (the parser writes one per recipient of a
//     group message) make one message to all of them, so that a group
//     message is not taken for a one-to-one one;
//   - "Payment" links become payments, description from the link (a
//     statement's description or memo) or else its record;
//   - records of kind "ad" become ads, their contacts being the entities
//     (phones, e-mails) with a statement read from that record;
//   - account entities whose bank or holder name reads as a hotel,
//     transport company or ad site (Category) become Businesses.
//
// Entities that are not people keep their own ID as the key, which is what
// the links carry.
func FromCase(entities []*rastro.Entity, links []*rastro.Link, records []*rastro.Record) Input {
	recs := make(map[int64]*rastro.Record, len(records))
	for _, r := range records {
		recs[r.ID] = r
	}
	in := Input{Businesses: caseBusinesses(entities)}
	people := map[string]int{}
	for _, e := range entities {
		if e.Schema == "Person" {
			people[e.ID] = len(in.People)
			in.People = append(in.People, Person{ID: e.ID, CaseRole: string(e.CaseRole), Accounts: []string{e.ID}})
		}
	}
	grouped := map[string]int{} // record and sender → index in in.Messages
	for _, l := range links {
		switch l.Schema {
		case "uses", "Ownership":
			if k, ok := people[l.SourceID]; ok && !slices.Contains(in.People[k].Accounts, l.TargetID) {
				in.People[k].Accounts = append(in.People[k].Accounts, l.TargetID)
			}
		case "Message":
			key := strconv.FormatInt(l.RecordID, 10) + "\x00" + l.SourceID
			if i, ok := grouped[key]; ok && l.RecordID != 0 {
				if !slices.Contains(in.Messages[i].To, l.TargetID) {
					in.Messages[i].To = append(in.Messages[i].To, l.TargetID)
				}
				continue
			}
			grouped[key] = len(in.Messages)
			in.Messages = append(in.Messages, Message{ID: l.ID, From: l.SourceID, To: []string{l.TargetID}, Time: l.Start, Text: recordText(recs, l.RecordID)})
		case "Payment":
			desc := cmp.Or(l.Description, recordText(recs, l.RecordID))
			in.Payments = append(in.Payments, Payment{ID: l.ID, From: l.SourceID, To: l.TargetID, Time: l.Start, Description: desc})
		}
	}
	in.Ads = caseAds(entities, recs)
	return in
}

func recordText(recs map[int64]*rastro.Record, id int64) string {
	if r := recs[id]; r != nil {
		return r.Text
	}
	return ""
}

// nameProps are the statements that name an account's bank or holder.
var nameProps = []string{"bankName", "name", "holderName", "ownerName"}

// caseBusinesses classifies the case's accounts and organisations by the
// names their statements give (a bank account held at "Hotel Miramar", a
// counterparty "TRANSPORTES DEL ISTMO"): account entity ID → category.
func caseBusinesses(entities []*rastro.Entity) map[string]string {
	out := map[string]string{}
	for _, e := range entities {
		if e.Schema == "Person" || e.Schema == "UserAccount" || e.Schema == "Identifier" {
			continue
		}
		for _, s := range e.Statements {
			if slices.Contains(nameProps, s.Prop) {
				if cat := Category(s.Value); cat != "" {
					out[e.ID] = cat
					break
				}
			}
		}
	}
	return out
}

// contactKinds are the Identifier kinds an ad gives to be contacted at.
var contactKinds = []string{"phone", "email", "handle"}

// isContact reports whether an entity is a phone, e-mail or handle: an
// Identifier of such a kind, or any entity stating a phone number.
func isContact(e *rastro.Entity) bool {
	for _, s := range e.Statements {
		switch {
		case s.Prop == "phone" || s.Prop == "number":
			return true
		case s.Prop == "kind" && e.Schema == "Identifier":
			return slices.Contains(contactKinds, strings.ToLower(s.Value))
		}
	}
	return false
}

// caseAds returns one Ad per ad record, with the IDs of the contact
// entities (phones, e-mails, handles) read from it and a section guessed
// from its text; its ID, "record:N", is the evidence.
func caseAds(entities []*rastro.Entity, recs map[int64]*rastro.Record) []Ad {
	contacts := map[int64][]string{}
	for _, e := range entities {
		if !isContact(e) {
			continue
		}
		for _, s := range e.Statements {
			if s.RecordID == 0 {
				continue
			}
			if r := recs[s.RecordID]; r != nil && r.Kind == "ad" && !slices.Contains(contacts[r.ID], e.ID) {
				contacts[r.ID] = append(contacts[r.ID], e.ID)
			}
		}
	}
	var out []Ad
	for _, r := range recs {
		if r.Kind == "ad" {
			out = append(out, Ad{ID: "record:" + strconv.FormatInt(r.ID, 10), Phones: contacts[r.ID], Category: AdSection(r.Text)})
		}
	}
	slices.SortFunc(out, func(a, b Ad) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// AdSection guesses an ad's section from its text, for ads stored without
// one: "escorts" for adult-service wording, "empleos" for job offers, else
// "otros".
func AdSection(text string) string {
	t := fold(text)
	switch {
	case matchAny(t, adultAdWords):
		return "escorts"
	case matchAny(t, jobAdWords):
		return "empleos"
	}
	return "otros"
}

var (
	adultAdWords = []string{"escort*", "acompanante*", "masaje*", "discreta*", "discrecion", "nueva en la ciudad", "chica*",
		"jovencita*", "24 7", "servicio completo", "new in town", "companion*", "outcall", "incall", "girls"}
	jobAdWords = []string{"empleo*", "trabajo*", "se busca*", "se necesita*", "vacante*", "contratamos", "hiring", "job*"}
)
