// Package identity resolves the people of a case: it turns the case's Person
// and UserAccount entities, with the identifiers and accounts they use or
// own, into resolve.Records, runs the resolve engine with the analysts'
// judgements (which always win), and keeps the outcome as the case's latest
// identity run. It also answers, for views such as the network, which
// entities are currently one identity (Collapse).
package identity

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/resolve"
)

// Resolvable reports whether entities of the schema describe a person to
// resolve.
func Resolvable(schema string) bool { return schema == "Person" || schema == "UserAccount" }

// identifierFields maps an Identifier entity's kind to a Record field.
var identifierFields = map[string]string{
	"phone": resolve.FieldPhone, "email": resolve.FieldEmail, "handle": resolve.FieldHandle,
	"iban": resolve.FieldIBAN, "btc": resolve.FieldWallet, "eth": resolve.FieldWallet, "tron": resolve.FieldWallet,
}

// Subject is a record to resolve with what the views need about its entity.
type Subject struct {
	Record resolve.Record
	Schema string
	Role   rastro.CaseRole
}

// Subjects reads a case's Person and UserAccount entities, as actor, and
// builds one record each: names, aliases, birth dates, phones and e-mails
// from their statements, plus the identifiers (phones, e-mails, handles,
// IBANs, wallets) of entities they use or own (uses and Ownership links).
// Subjects come sorted by entity ID.
func Subjects(ctx context.Context, s rastro.EntityService, actor rastro.Actor, caseID int64) ([]Subject, error) {
	people := map[string]*rastro.Entity{}
	values := map[string][]fieldValue{} // identifiers and accounts: what they hold
	err := s.ForEachEntity(ctx, actor, caseID, func(e *rastro.Entity) error {
		if Resolvable(e.Schema) {
			people[e.ID] = e
		} else if fv := heldValues(e); len(fv) > 0 {
			values[e.ID] = fv
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("identity subjects: %w", err)
	}
	links, err := s.Links(ctx, actor, caseID, "")
	if err != nil {
		return nil, fmt.Errorf("identity subjects: %w", err)
	}
	held := map[string][]fieldValue{}
	for _, l := range links {
		if (l.Schema == "uses" || l.Schema == "Ownership") && people[l.SourceID] != nil {
			held[l.SourceID] = append(held[l.SourceID], values[l.TargetID]...)
		}
	}
	out := make([]Subject, 0, len(people))
	for _, e := range people {
		out = append(out, Subject{Record: record(e, held[e.ID]), Schema: e.Schema, Role: e.CaseRole})
	}
	slices.SortFunc(out, func(a, b Subject) int { return strings.Compare(a.Record.ID, b.Record.ID) })
	return out, nil
}

// fieldValue is one value of a Record field.
type fieldValue struct{ field, value string }

// heldValues returns the identifiers an Identifier, BankAccount or
// CryptoWallet entity stands for.
func heldValues(e *rastro.Entity) []fieldValue {
	switch e.Schema {
	case "Identifier":
		kind, value := "", ""
		for _, s := range e.Statements {
			switch s.Prop {
			case "kind":
				kind = s.Value
			case "normalized":
				value = s.Value
			case "value":
				if value == "" {
					value = s.Normalized
				}
			}
		}
		if f, ok := identifierFields[kind]; ok && cmp.Or(value, e.Caption) != "" {
			return []fieldValue{{f, cmp.Or(value, e.Caption)}}
		}
	case "BankAccount", "CryptoWallet":
		r := resolve.RecordFromEntity(e)
		var out []fieldValue
		for _, f := range []string{resolve.FieldIBAN, resolve.FieldWallet} {
			for _, v := range r.Fields[f] {
				out = append(out, fieldValue{f, v})
			}
		}
		return out
	}
	return nil
}

// record builds the record of a Person or UserAccount entity. A chat
// account's "number" is a phone and its caption, when it reads as a name, is
// the name the account shows.
func record(e *rastro.Entity, held []fieldValue) resolve.Record {
	r := resolve.RecordFromEntity(e)
	for _, s := range e.Statements {
		if s.Prop == "number" {
			held = append(held, fieldValue{resolve.FieldPhone, cmp.Or(s.Normalized, s.Value)})
		}
	}
	if e.Schema == "UserAccount" {
		// Chat exports give a display name ("Papá", "Juan Ramírez") or a
		// phone as the "username": a name, not an identifier, or every
		// "Papá" would share a handle. Only an @handle stays a handle.
		handles := r.Fields[resolve.FieldHandle]
		delete(r.Fields, resolve.FieldHandle)
		for _, h := range append(handles, e.Caption) {
			switch h = strings.TrimSpace(h); {
			case strings.HasPrefix(h, "@") && len(h) > 1:
				held = append(held, fieldValue{resolve.FieldHandle, h[1:]})
			case looksLikeName(h):
				held = append(held, fieldValue{resolve.FieldName, h})
			}
		}
	}
	for _, fv := range held {
		if v := strings.TrimSpace(fv.value); v != "" && !slices.Contains(r.Fields[fv.field], v) {
			r.Fields[fv.field] = append(r.Fields[fv.field], v)
		}
	}
	return r
}

// looksLikeName reports whether s has letters and no digits or "@": a
// display name rather than a number, address or handle.
func looksLikeName(s string) bool {
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsDigit(r) || r == '@':
			return false
		case unicode.IsLetter(r):
			letters++
		}
	}
	return letters >= 2
}

// displayName reports whether a username is a name with a space in it.
func displayName(s string) bool {
	return looksLikeName(s) && strings.ContainsRune(strings.TrimSpace(s), ' ')
}
