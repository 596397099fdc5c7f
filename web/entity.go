package web

import (
	"fmt"
	"html/template"
	"net/http"
	"sort"

	"github.com/rastro/rastro"
)

// propGroup is the statements of one property.
type propGroup struct {
	Prop   string
	Values []valueGroup
}

// valueGroup is one value of a property and every statement that asserts
// it: the same phone found in twelve messages is one line with twelve
// sources, not twelve lines.
type valueGroup struct {
	Value      string
	Statements []*rastro.Statement
}

// entityPageView is the entity page's data.
type entityPageView struct {
	*entityView
	Groups   []propGroup
	Records  map[int64]*rastro.Record
	Identity *entityIdentity
	// Marks is, per statement ID, the cited record's text around the
	// identifier the statement is about, the identifier in <mark>; empty
	// for an entity shown redacted.
	Marks map[int64]template.HTML
}

// maxSnippets bounds how many source records an entity page loads.
const maxSnippets = 200

// entityPage shows an entity's statements grouped by property, each with its
// provenance. Opening a (possible) victim is audited by the store.
func (s *Server) entityPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadEntity(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	recs, err := s.citedRecords(r, v.Entity)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ident, err := s.loadEntityIdentity(r, v.Entity.CaseID, v.Entity.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "entity", "", entityPageView{entityView: v, Groups: groupByProp(v.Entity.Statements), Records: recs,
		Identity: ident, Marks: marks(v.Entity, recs)})
}

// marks highlights, for each statement citing a byte range of a loaded
// record, the identifier in the record's text. A redacted entity (a victim
// the reader may not see) gets none: its identifiers stay hidden.
func marks(e *rastro.Entity, recs map[int64]*rastro.Record) map[int64]template.HTML {
	out := map[int64]template.HTML{}
	if e.Redacted {
		return out
	}
	// The raw text the extractor saw at each place: the record as read may
	// differ (victims' details scrubbed for this reader), and then the
	// byte range no longer points at the identifier.
	raw := map[string]string{}
	for _, st := range e.Statements {
		if st.Prop == "value" {
			raw[fmt.Sprint(st.RecordID, st.Locator)] = st.Value
		}
	}
	for _, st := range e.Statements {
		rec := recs[st.RecordID]
		if rec == nil {
			continue
		}
		if want, ok := raw[fmt.Sprint(st.RecordID, st.Locator)]; ok {
			if a, b, ok := byteRange(st.Locator); !ok || b > len(rec.Text) || a > b || rec.Text[a:b] != want {
				continue
			}
		}
		if h, ok := highlight(rec.Text, st.Locator); ok {
			out[st.ID] = h
		}
	}
	return out
}

// citedRecords loads the source records of the entity's statements, for
// the text snippet shown with each statement's provenance; none for an
// entity shown redacted.
func (s *Server) citedRecords(r *http.Request, e *rastro.Entity) (map[int64]*rastro.Record, error) {
	out := map[int64]*rastro.Record{}
	if e.Redacted {
		return out, nil // the messages would show what the redaction hides
	}
	for _, st := range e.Statements {
		if st.RecordID == 0 || out[st.RecordID] != nil || len(out) >= maxSnippets {
			continue
		}
		rec, err := s.store.RecordByID(r.Context(), actor(r), e.CaseID, st.RecordID)
		if err != nil {
			return nil, err
		}
		out[st.RecordID] = rec
	}
	return out, nil
}

// groupByProp groups statements by property (sorted by name) and, within
// a property, by value in order of first appearance.
func groupByProp(sts []*rastro.Statement) []propGroup {
	idx := map[string]int{}
	vidx := map[[2]string]int{}
	var out []propGroup
	for _, st := range sts {
		i, ok := idx[st.Prop]
		if !ok {
			i = len(out)
			idx[st.Prop] = i
			out = append(out, propGroup{Prop: st.Prop})
		}
		key := [2]string{st.Prop, st.Value}
		j, ok := vidx[key]
		if !ok {
			j = len(out[i].Values)
			vidx[key] = j
			out[i].Values = append(out[i].Values, valueGroup{Value: st.Value})
		}
		out[i].Values[j].Statements = append(out[i].Values[j].Statements, st)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Prop < out[b].Prop })
	return out
}

// statementPage shows one statement's full provenance.
func (s *Server) statementPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadStatement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "statement", "", v)
}
