// Package casemoney builds the follow-the-money engine's flow graph from a
// case's stored Payment links, read through the store with the reading
// actor (so membership and victim redaction apply), for the web views:
// account pages and traces. Account keys in the graph are entity IDs; the
// case's entities give them captions and holders.
package casemoney

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/money"
)

// Reader is what the package needs of a store.
type Reader interface {
	MoneyLinks(ctx context.Context, actor rastro.Actor, caseID int64, entityID string) ([]*rastro.Link, error)
	Entities(ctx context.Context, actor rastro.Actor, caseID int64, f rastro.EntityFilter) ([]*rastro.Entity, int, error)
}

// Bounds of the entity scan.
const (
	entityPage    = 1000
	maxEntityScan = 100000
)

// Case is a case's money: the graph of its payments, the links behind each
// transfer, and the entities (as listed: victims redacted for readers
// without access) with the holders of each account.
type Case struct {
	CaseID   int64
	Graph    *money.Graph
	Payments map[string]*rastro.Link   // link id (= Tx.ID) → Payment link
	Entities map[string]*rastro.Entity // entity id → entity, without statements
	Holders  map[string][]string       // account entity id → holder entity ids (Ownership)
	Skipped  []string                  // payment links whose amount could not be read
}

// Load reads the case's Payment and Ownership links and its entities.
func Load(ctx context.Context, s Reader, actor rastro.Actor, caseID int64) (*Case, error) {
	links, err := s.MoneyLinks(ctx, actor, caseID, "")
	if err != nil {
		return nil, fmt.Errorf("casemoney: links: %w", err)
	}
	return build(ctx, s, actor, caseID, links)
}

// LoadAccount is Load restricted to one account's own payments and
// holders: enough for its page, without reading the whole case's payments.
func LoadAccount(ctx context.Context, s Reader, actor rastro.Actor, caseID int64, account string) (*Case, error) {
	links, err := s.MoneyLinks(ctx, actor, caseID, account)
	if err != nil {
		return nil, fmt.Errorf("casemoney: links of %s: %w", account, err)
	}
	var own []*rastro.Link
	for _, l := range links {
		if l.Schema == "Payment" || l.Schema == "Ownership" && l.TargetID == account {
			own = append(own, l)
		}
	}
	return build(ctx, s, actor, caseID, own)
}

// build indexes links and reads the case's entities.
func build(ctx context.Context, s Reader, actor rastro.Actor, caseID int64, links []*rastro.Link) (*Case, error) {
	c := &Case{CaseID: caseID, Payments: map[string]*rastro.Link{}, Entities: map[string]*rastro.Entity{}, Holders: map[string][]string{}}
	var txs []money.Tx
	for _, l := range links {
		switch l.Schema {
		case "Ownership":
			c.Holders[l.TargetID] = append(c.Holders[l.TargetID], l.SourceID)
		case "Payment":
			t, err := TxOf(l)
			if err != nil {
				c.Skipped = append(c.Skipped, l.ID)
				continue
			}
			c.Payments[l.ID] = l
			txs = append(txs, t)
		}
	}
	c.Graph = money.NewGraph(txs)
	if err := c.loadEntities(ctx, s, actor); err != nil {
		return nil, err
	}
	return c, nil
}

// loadEntities lists the case's entities (at most maxEntityScan).
func (c *Case) loadEntities(ctx context.Context, s Reader, actor rastro.Actor) error {
	for off := 0; off < maxEntityScan; off += entityPage {
		list, total, err := s.Entities(ctx, actor, c.CaseID, rastro.EntityFilter{Offset: off, Limit: entityPage})
		if err != nil {
			return fmt.Errorf("casemoney: entities: %w", err)
		}
		for _, e := range list {
			c.Entities[e.ID] = e
		}
		if off+len(list) >= total || len(list) == 0 {
			return nil
		}
	}
	return nil
}

// TxOf turns a Payment link back into a transfer: the link id is the
// transfer's ID, its entities are the accounts, and the locator's line
// number (with the evidence id as file) is its provenance.
func TxOf(l *rastro.Link) (money.Tx, error) {
	amt, err := money.ParseAmount(l.Amount, false)
	if err != nil {
		return money.Tx{}, fmt.Errorf("casemoney: payment %s: %w", l.ID, err)
	}
	line, _ := strconv.Atoi(strings.TrimPrefix(l.Locator, "line:"))
	return money.Tx{ID: l.ID, From: l.SourceID, To: l.TargetID, Amount: amt, Currency: l.Currency, Time: l.Start.UTC(),
		Description: l.Description, Format: "case", File: "evidence:" + strconv.FormatInt(l.EvidenceID, 10), Line: line}, nil
}

// Caption is how an entity is shown: its caption (a pseudonym when the
// store redacted it), or its id when the case has no such entity.
func (c *Case) Caption(id string) string {
	if e := c.Entities[id]; e != nil && e.Caption != "" {
		return e.Caption
	}
	return id
}

// IsAccount reports whether the entity is one the payments touch.
func (c *Case) IsAccount(id string) bool {
	_, ok := c.Graph.Node(id)
	return ok
}

// HolderRoles returns the case roles of the account's holders.
func (c *Case) HolderRoles(account string) []rastro.CaseRole {
	var out []rastro.CaseRole
	for _, h := range c.Holders[account] {
		if e := c.Entities[h]; e != nil {
			out = append(out, e.CaseRole)
		}
	}
	return out
}

// VictimHeld reports whether the account or any holder is a (possible)
// victim: such an account is never shown as a subject.
func (c *Case) VictimHeld(account string) bool {
	if e := c.Entities[account]; e != nil && e.CaseRole.IsVictim() {
		return true
	}
	for _, r := range c.HolderRoles(account) {
		if r.IsVictim() {
			return true
		}
	}
	return false
}
