package export

import (
	"context"
	"slices"

	"github.com/rastro/rastro"
)

// memStore is a small in-memory rastro.EntityService for the export tests:
// entities and links of cases, readable by the system actor and by members.
// It is a fake of the Go interface (no SQL is involved), standing in until
// the SQLite store can be used here.
type memStore struct {
	members  map[int64][]int64 // case -> user IDs
	entities map[int64][]*rastro.Entity
	links    map[int64][]*rastro.Link
	nextStmt int64
}

func newMemStore() *memStore {
	return &memStore{members: map[int64][]int64{}, entities: map[int64][]*rastro.Entity{}, links: map[int64][]*rastro.Link{}}
}

func (m *memStore) canRead(actor rastro.Actor, caseID int64) error {
	if actor.System || (actor.Can(rastro.PermReadCase) && slices.Contains(m.members[caseID], actor.UserID)) {
		return nil
	}
	return rastro.Errorf(rastro.ENOTFOUND, "Case not found.")
}

func (m *memStore) PutEntity(ctx context.Context, actor rastro.Actor, e *rastro.Entity) error {
	for _, st := range e.Statements {
		if st.ID == 0 {
			m.nextStmt++
			st.ID = m.nextStmt
		}
		st.CaseID, st.EntityID = e.CaseID, e.ID
	}
	m.entities[e.CaseID] = append(m.entities[e.CaseID], e)
	return nil
}

func (m *memStore) PutEntities(ctx context.Context, actor rastro.Actor, es []*rastro.Entity) error {
	for _, e := range es {
		if err := m.PutEntity(ctx, actor, e); err != nil {
			return err
		}
	}
	return nil
}

func (m *memStore) Entity(ctx context.Context, actor rastro.Actor, caseID int64, id string) (*rastro.Entity, error) {
	if err := m.canRead(actor, caseID); err != nil {
		return nil, err
	}
	for _, e := range m.entities[caseID] {
		if e.ID == id {
			return e, nil
		}
	}
	return nil, rastro.Errorf(rastro.ENOTFOUND, "Entity not found.")
}

func (m *memStore) Entities(ctx context.Context, actor rastro.Actor, caseID int64, f rastro.EntityFilter) ([]*rastro.Entity, int, error) {
	if err := m.canRead(actor, caseID); err != nil {
		return nil, 0, err
	}
	return m.entities[caseID], len(m.entities[caseID]), nil
}

func (m *memStore) ForEachEntity(ctx context.Context, actor rastro.Actor, caseID int64, fn func(*rastro.Entity) error) error {
	if err := m.canRead(actor, caseID); err != nil {
		return err
	}
	for _, e := range m.entities[caseID] {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (m *memStore) SetCaseRole(ctx context.Context, actor rastro.Actor, caseID int64, id string, role rastro.CaseRole, legal rastro.LegalStatus) error {
	e, err := m.Entity(ctx, actor, caseID, id)
	if err != nil {
		return err
	}
	e.CaseRole, e.LegalStatus = role, legal
	return nil
}

func (m *memStore) PutLinks(ctx context.Context, actor rastro.Actor, caseID int64, links []*rastro.Link) error {
	m.links[caseID] = append(m.links[caseID], links...)
	return nil
}

func (m *memStore) Links(ctx context.Context, actor rastro.Actor, caseID int64, entityID string) ([]*rastro.Link, error) {
	if err := m.canRead(actor, caseID); err != nil {
		return nil, err
	}
	return m.links[caseID], nil
}

func (m *memStore) Statement(ctx context.Context, actor rastro.Actor, caseID, id int64) (*rastro.Statement, error) {
	return nil, rastro.Errorf(rastro.ENOTFOUND, "Statement not found.")
}
