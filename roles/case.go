package roles

import (
	"slices"
	"strconv"

	"github.com/rastro/rastro"
)

// FromCase builds the Input from a case as the store holds it: Person
// entities (with their case role) and the entities they are linked to by
// "uses" or "Ownership" links become people and their account keys (the
// linked entities' IDs); "Message" links become messages (text from their
// record); "Payment" links become payments (description from their
// record); records of kind "ad" become ads, their phones being the
// entities with a statement read from that record. Entities that are not
// people keep their own ID as the key, which is what the links carry.
func FromCase(entities []*rastro.Entity, links []*rastro.Link, records []*rastro.Record) Input {
	recs := make(map[int64]*rastro.Record, len(records))
	for _, r := range records {
		recs[r.ID] = r
	}
	in := Input{Businesses: map[string]string{}}
	people := map[string]int{}
	for _, e := range entities {
		if e.Schema == "Person" {
			people[e.ID] = len(in.People)
			in.People = append(in.People, Person{ID: e.ID, CaseRole: string(e.CaseRole), Accounts: []string{e.ID}})
		}
	}
	for _, l := range links {
		switch l.Schema {
		case "uses", "Ownership":
			if k, ok := people[l.SourceID]; ok {
				in.People[k].Accounts = append(in.People[k].Accounts, l.TargetID)
			}
		case "Message":
			in.Messages = append(in.Messages, Message{ID: l.ID, From: l.SourceID, To: []string{l.TargetID}, Time: l.Start, Text: recordText(recs, l.RecordID)})
		case "Payment":
			in.Payments = append(in.Payments, Payment{ID: l.ID, From: l.SourceID, To: l.TargetID, Time: l.Start, Description: recordText(recs, l.RecordID)})
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

// caseAds returns one Ad per ad record, with the IDs of the phone
// entities read from it and a section guessed from its text; its ID,
// "record:N", is the evidence.
func caseAds(entities []*rastro.Entity, recs map[int64]*rastro.Record) []Ad {
	phones := map[int64][]string{}
	for _, e := range entities {
		for _, s := range e.Statements {
			if s.Prop != "phone" && s.Prop != "number" || s.RecordID == 0 {
				continue
			}
			if r := recs[s.RecordID]; r != nil && r.Kind == "ad" && !slices.Contains(phones[r.ID], e.ID) {
				phones[r.ID] = append(phones[r.ID], e.ID)
			}
		}
	}
	var out []Ad
	for _, r := range recs {
		if r.Kind == "ad" {
			out = append(out, Ad{ID: "record:" + strconv.FormatInt(r.ID, 10), Phones: phones[r.ID], Category: AdSection(r.Text)})
		}
	}
	slices.SortFunc(out, func(a, b Ad) int {
		if a.ID < b.ID {
			return -1
		} else if a.ID > b.ID {
			return 1
		}
		return 0
	})
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
