// Package export writes a case's data in the field's exchange formats. FtM
// and FtMWith write FollowTheMoney (FtM): line-delimited JSON entities, one
// {"id","schema","properties"} object per line, as Aleph's tools write and
// read it (ftm / alephclient stream files), with Rastro's Identifier schema
// extension (IdentifierSchemaYAML). Victims' personal data is redacted by
// default.
package export

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/rastro/rastro"
)

// FtMObject is one line of an FtM export. ID, Schema and Properties are
// plain FollowTheMoney; Rastro is a top-level extension object that FtM
// readers ignore (they read only id, schema and properties), so that
// Rastro's context never becomes an unknown FtM property.
type FtMObject struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
	Rastro     *FtMExtension       `json:"rastro,omitempty"`
}

// FtMExtension is Rastro's context for one exported object.
type FtMExtension struct {
	CaseID      int64  `json:"case_id"`
	CaseRole    string `json:"case_role,omitempty"`    // entities: suspect, possible_victim, ...
	LegalStatus string `json:"legal_status,omitempty"` // entities: suspected, charged, ...
	Sensitivity string `json:"sensitivity,omitempty"`  // entities: "restricted" or ""
	Redacted    bool   `json:"redacted,omitempty"`     // personal data withheld, ID pseudonymous
	LinkSchema  string `json:"link_schema,omitempty"`  // links: Rastro's schema, e.g. "uses"
	EvidenceID  int64  `json:"evidence_id,omitempty"`  // links: provenance
	RecordID    int64  `json:"record_id,omitempty"`
	Locator     string `json:"locator,omitempty"`
	Origin      string `json:"origin,omitempty"`
}

// FtMOptions changes how FtMWith exports. The zero value is the safe
// default used by FtM.
type FtMOptions struct {
	// PseudonymKey is a secret from which a per-case key is derived
	// (HMAC-SHA256(PseudonymKey, case ID)); a protected entity's pseudonym
	// is HMAC-SHA256(case key, entity ID). With the same key, pseudonyms
	// are stable across exports of one case and unlinkable across cases.
	// When empty, a random key is drawn for this export only, so that its
	// pseudonyms cannot be linked to any other export.
	PseudonymKey []byte
	// IncludeVictimData exports protected entities in full. It requires
	// rastro.PermReadVictims (EFORBIDDEN otherwise); the caller records the
	// audited decision and its reason before calling.
	IncludeVictimData bool
}

// FtM writes every entity and link of the case as line-delimited
// FollowTheMoney JSON and returns how many objects it wrote. Access is
// checked by the store (membership). Victims' personal data is redacted; see
// FtMWith.
func FtM(ctx context.Context, w io.Writer, s rastro.EntityService, actor rastro.Actor, caseID int64) (n int, err error) {
	return FtMWith(ctx, w, s, actor, caseID, FtMOptions{})
}

// FtMWith is FtM with options. Entities come first (in the store's order),
// then links (by link ID). Mapping:
//
//   - IDs: "rastro-<caseID>-e-<entityID>" (see FtMEntityID) so that exports of
//     several cases merge without collisions; statement values that name
//     another entity of the case in an entity-typed property (payer, owner,
//     holder, ...) are rewritten to the same form.
//   - Properties: statements grouped by property; each property's values in
//     first-seen order by statement ID, duplicates dropped. Statement
//     provenance stays in Rastro (FtM has no place for it per value).
//   - Case role, legal status and sensitivity go to the "rastro" extension
//     (FtM's Python EntityProxy keeps unknown top-level keys as context),
//     never into FtM topics: a topic such as crime.traffick would read as a
//     verdict downstream (presumption of innocence).
//   - Links become FtM interval entities (see linkShape), with their
//     provenance in the extension.
//
// Protection (unless IncludeVictimData): an entity is protected when its case
// role is a (possible) victim or its sensitivity is "restricted"; protection
// spreads along uses, Ownership and appears_in links (her phone, her account,
// the ad her phone appears in) and to every entity whose owner/holder
// statement names a protected one. A protected entity is exported as
// "rastro-<caseID>-p-<32 hex>" with only gender, nationality, country, topics,
// kind and platform, plus a pseudonymous name if it had a name; links
// touching it get pseudonymous IDs too. Values it withholds (3 characters or
// more, compared ignoring case, spaces and punctuation) are also dropped
// where another entity repeats them as a whole statement value. Free text
// that merely contains them (a message body) is not searched.
func FtMWith(ctx context.Context, w io.Writer, s rastro.EntityService, actor rastro.Actor, caseID int64, opts FtMOptions) (n int, err error) {
	if opts.IncludeVictimData && !actor.Can(rastro.PermReadVictims) {
		return 0, rastro.Errorf(rastro.EFORBIDDEN, "Exporting victims' personal data needs the caseworker role.")
	}
	p, err := plan(ctx, s, actor, caseID, opts)
	if err != nil {
		return 0, fmt.Errorf("export ftm: %w", err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	err = s.ForEachEntity(ctx, actor, caseID, func(e *rastro.Entity) error {
		if err := enc.Encode(p.entityObject(e)); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("export ftm: entities: %w", err)
	}
	for i, l := range p.links {
		if i%1024 == 0 && ctx.Err() != nil {
			return n, fmt.Errorf("export ftm: links: %w", ctx.Err())
		}
		if err := enc.Encode(p.linkObject(l)); err != nil {
			return n, fmt.Errorf("export ftm: links: %w", err)
		}
		n++
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("export ftm: %w", err)
	}
	return n, nil
}

// exportPlan is what the export knows before it writes the first line.
type exportPlan struct {
	caseID    int64
	prefix    string              // "rastro-<caseID>-"
	ids       map[string]struct{} // every entity ID of the case
	protected map[string]string   // entity ID -> pseudonymous export ID
	scrub     map[string]struct{} // withheld values of protected entities
	links     []*rastro.Link
	redact    bool
	key       []byte              // per-case pseudonym key
	targets   map[string]bool     // planning: targets of protecting links
	withheld  map[string][]string // planning: candidates' withheld values
}

// plan reads the case once (entities, then links) to learn every entity ID
// and which entities are protected, so that references and links written
// later are consistent and no protected ID leaks before it is known.
func plan(ctx context.Context, s rastro.EntityService, actor rastro.Actor, caseID int64, opts FtMOptions) (*exportPlan, error) {
	p := &exportPlan{
		caseID:    caseID,
		prefix:    "rastro-" + itoa(caseID) + "-",
		ids:       map[string]struct{}{},
		protected: map[string]string{},
		scrub:     map[string]struct{}{},
		redact:    !opts.IncludeVictimData,
		withheld:  map[string][]string{},
	}
	links, err := s.Links(ctx, actor, caseID, "")
	if err != nil {
		return nil, fmt.Errorf("links: %w", err)
	}
	p.links = sortedLinks(links)
	p.targets = protectionTargets(p.links)
	var owned []ownerRef
	err = s.ForEachEntity(ctx, actor, caseID, func(e *rastro.Entity) error {
		p.ids[e.ID] = struct{}{}
		if p.redact {
			owned = p.noteProtection(e, owned)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("entities: %w", err)
	}
	if p.redact {
		key, err := caseKey(opts.PseudonymKey, caseID)
		if err != nil {
			return nil, err
		}
		p.spreadProtection(owned)
		p.assignPseudonyms(key)
	}
	return p, nil
}

// sortedLinks returns links ordered by ID, so that the output is
// deterministic whatever order the store returns.
func sortedLinks(links []*rastro.Link) []*rastro.Link {
	out := slices.Clone(links)
	slices.SortStableFunc(out, func(a, b *rastro.Link) int {
		if a.ID < b.ID {
			return -1
		} else if a.ID > b.ID {
			return 1
		}
		return 0
	})
	return out
}

// randomKey returns a fresh 32-byte key.
func randomKey() ([]byte, error) {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("pseudonym key: %w", err)
	}
	return k, nil
}
