package storetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/custody"
	"github.com/rastro/rastro/store"
)

// custodyTests are the custody log's subtests, run by Run.
var custodyTests = []struct {
	name string
	fn   func(t *testing.T, f *fixture)
}{
	{"CustodyAppend", testCustodyAppend},
	{"CustodyConcurrentAppend", testCustodyConcurrent},
	{"CustodyAppendOnly", testCustodyAppendOnly},
	{"CustodyVisibility", testCustodyVisibility},
	{"CustodyCheckpoints", testCustodyCheckpoints},
	{"CustodyTamperDetected", testCustodyTamper},
}

// runCustody runs the custody subtests on fresh stores.
func runCustody(t *testing.T, open func(t *testing.T) *store.DB) {
	for _, tt := range custodyTests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, newFixture(t, open(t)))
		})
	}
}

// item creates an evidence item in the fixture's case.
func (f *fixture) item(t testing.TB, name string) *rastro.Evidence {
	t.Helper()
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash(name), Size: int64(len(name)), OriginalName: name}
	_, err := f.db.CreateEvidence(f.ctx, f.inv, ev)
	must(t, err)
	return ev
}

// appendN appends n view events on the item by the analyst.
func (f *fixture) appendN(t testing.TB, item *rastro.Evidence, n int) []*rastro.CustodyEvent {
	t.Helper()
	var evs []*rastro.CustodyEvent
	for i := range n {
		ev, err := f.db.AppendCustody(f.ctx, f.analyst, &rastro.CustodyEvent{CaseID: f.caseID, EvidenceID: item.ID,
			Action: rastro.CustodyView, Details: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i))})
		must(t, err)
		evs = append(evs, ev)
	}
	return evs
}

func testCustodyAppend(t *testing.T, f *fixture) {
	item := f.item(t, "chat.txt")
	ev, err := f.db.AppendCustody(f.ctx, f.inv, &rastro.CustodyEvent{CaseID: f.caseID, EvidenceID: item.ID,
		Action: rastro.CustodyAcquire, Tool: "rastro-intake", ToolVersion: "0.1.0",
		Details: json.RawMessage(` { "source": "seizure", "exhibit_no": "EX-1" } `)})
	must(t, err)
	if ev.Seq != 0 || ev.EvidenceSHA256 != item.SHA256 || ev.Username != "ines" || ev.UserID != f.inv.UserID ||
		!ev.Time.Equal(f.clock.now()) || string(ev.Details) != `{"exhibit_no":"EX-1","source":"seizure"}` {
		t.Errorf("appended event = %+v", ev)
	}
	parsed, err := custody.ParseLeaf(ev.Leaf)
	must(t, err)
	if parsed.Seq != 0 || parsed.Username != "ines" || !bytes.Equal(ev.LeafHash, custody.LeafHash(ev.Leaf)) {
		t.Errorf("leaf = %s", ev.Leaf)
	}
	second := f.appendN(t, item, 1)[0]
	if second.Seq != 1 || second.Tool != store.DefaultCustodyTool {
		t.Errorf("second event seq %d tool %q, want 1 %q", second.Seq, second.Tool, store.DefaultCustodyTool)
	}
	list, err := f.db.CustodyEvents(f.ctx, f.worker, f.caseID, item.ID)
	must(t, err)
	if len(list) != 2 || !bytes.Equal(list[0].Leaf, ev.Leaf) || !bytes.Equal(list[1].LeafHash, second.LeafHash) {
		t.Fatalf("CustodyEvents = %+v", list)
	}
	must(t, custody.VerifyLog(list, nil, ""))
	head, err := f.db.CustodyHead(f.ctx, f.auditor)
	must(t, err)
	tree, _ := custody.NewTree([][]byte{ev.LeafHash, second.LeafHash})
	if head.Size != 2 || !bytes.Equal(head.RootHash, tree.Root()) {
		t.Errorf("head = %+v, want size 2 and root %x", head, tree.Root())
	}
	bad := []struct {
		name string
		ev   rastro.CustodyEvent
		code string
	}{
		{"unknown action", rastro.CustodyEvent{CaseID: f.caseID, EvidenceID: item.ID, Action: "destroy"}, rastro.EINVALID},
		{"no item", rastro.CustodyEvent{CaseID: f.caseID, Action: rastro.CustodyView}, rastro.EINVALID},
		{"unknown item", rastro.CustodyEvent{CaseID: f.caseID, EvidenceID: 999, Action: rastro.CustodyView}, rastro.ENOTFOUND},
		{"other hash", rastro.CustodyEvent{CaseID: f.caseID, EvidenceID: item.ID, Action: rastro.CustodyView, EvidenceSHA256: hexHash("x")}, rastro.EINVALID},
		{"details not an object", rastro.CustodyEvent{CaseID: f.caseID, EvidenceID: item.ID, Action: rastro.CustodyView, Details: json.RawMessage(`[1]`)}, rastro.EINVALID},
	}
	for _, tt := range bad {
		_, err := f.db.AppendCustody(f.ctx, f.inv, &tt.ev)
		if rastro.ErrorCode(err) != tt.code {
			t.Errorf("%s: error %v, want %s", tt.name, err, tt.code)
		}
	}
	if n := f.count(t, "custody_events"); n != 2 {
		t.Errorf("custody_events has %d rows after refused appends, want 2", n)
	}
}

// testCustodyConcurrent appends from several goroutines at once: every
// sequence number must be used once, without gaps, and the stored root must
// be the root of the leaves in sequence order.
func testCustodyConcurrent(t *testing.T, f *fixture) {
	item := f.item(t, "chat.txt")
	const workers, each = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				_, err := f.db.AppendCustody(f.ctx, f.analyst, &rastro.CustodyEvent{CaseID: f.caseID, EvidenceID: item.ID,
					Action: rastro.CustodyView, Details: json.RawMessage(fmt.Sprintf(`{"worker":%d,"i":%d}`, w, i))})
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	evs, err := f.db.CustodyRange(f.ctx, f.sys, 0, 1000)
	must(t, err)
	if len(evs) != workers*each {
		t.Fatalf("%d events, want %d", len(evs), workers*each)
	}
	must(t, custody.VerifyLog(evs, nil, "")) // reports any gap or duplicate by sequence number
	hashes, err := f.db.CustodyLeafHashes(f.ctx, f.inv, 0, 1000)
	must(t, err)
	tree, _ := custody.NewTree(hashes)
	head, err := f.db.CustodyHead(f.ctx, f.sys)
	must(t, err)
	if head.Size != workers*each || !bytes.Equal(head.RootHash, tree.Root()) {
		t.Errorf("head %d %x, want %d %x", head.Size, head.RootHash, workers*each, tree.Root())
	}
}

// testCustodyAppendOnly checks that the database refuses to change or
// delete events and checkpoints, whatever code runs against it.
func testCustodyAppendOnly(t *testing.T, f *fixture) {
	item := f.item(t, "chat.txt")
	f.appendN(t, item, 2)
	keys := testKeys(t)
	f.checkpoint(t, keys)
	for _, stmt := range []string{
		`UPDATE custody_events SET username = 'someone else'`,
		`UPDATE custody_events SET leaf = leaf_hash WHERE seq = 0`,
		`DELETE FROM custody_events WHERE seq = 1`,
		`UPDATE custody_checkpoints SET note = 'forged'`,
		`DELETE FROM custody_checkpoints`,
		`DELETE FROM custody_state`,
	} {
		if _, err := f.db.SQL().ExecContext(f.ctx, stmt); err == nil {
			t.Errorf("%s succeeded; want it refused", stmt)
		}
	}
	if n := f.count(t, "custody_events"); n != 2 {
		t.Errorf("custody_events has %d rows, want 2", n)
	}
	evs, err := f.db.CustodyRange(f.ctx, f.auditor, 0, 10)
	must(t, err)
	cp, err := f.db.LatestCheckpoint(f.ctx, f.auditor)
	must(t, err)
	must(t, custody.VerifyLog(evs, []*rastro.Checkpoint{cp}, keys.VerifierKey))
}

func testCustodyVisibility(t *testing.T, f *fixture) {
	item := f.item(t, "chat.txt")
	f.appendN(t, item, 3)
	other := &rastro.Case{Title: "Otro caso", Jurisdiction: "MX"}
	must(t, f.db.CreateCase(f.ctx, f.outsider, other))
	otherItem := &rastro.Evidence{CaseID: other.ID, SHA256: hexHash("ad.html"), Size: 7}
	_, err := f.db.CreateEvidence(f.ctx, f.outsider, otherItem)
	must(t, err)
	_, err = f.db.AppendCustody(f.ctx, f.outsider, &rastro.CustodyEvent{CaseID: other.ID, EvidenceID: otherItem.ID, Action: rastro.CustodyAcquire})
	must(t, err)

	_, err = f.db.CustodyEvents(f.ctx, f.outsider, f.caseID, item.ID)
	wantCode(t, err, rastro.ENOTFOUND)
	_, err = f.db.AppendCustody(f.ctx, f.outsider, &rastro.CustodyEvent{CaseID: f.caseID, EvidenceID: item.ID, Action: rastro.CustodyView})
	wantCode(t, err, rastro.ENOTFOUND)
	_, err = f.db.AppendCustody(f.ctx, f.inv, &rastro.CustodyEvent{CaseID: f.caseID, EvidenceID: otherItem.ID, Action: rastro.CustodyView})
	wantCode(t, err, rastro.ENOTFOUND)
	mine, err := f.db.CustodyEvents(f.ctx, f.analyst, f.caseID, 0)
	must(t, err)
	theirs, err := f.db.CustodyEvents(f.ctx, f.outsider, other.ID, 0)
	must(t, err)
	if len(mine) != 3 || len(theirs) != 1 || theirs[0].Seq != 3 {
		t.Errorf("case events: mine %d, theirs %d (%+v)", len(mine), len(theirs), theirs)
	}
	for _, a := range []rastro.Actor{f.inv, f.analyst, f.admin} {
		_, err := f.db.CustodyRange(f.ctx, a, 0, 10)
		wantCode(t, err, rastro.EFORBIDDEN)
	}
	all, err := f.db.CustodyRange(f.ctx, f.auditor, 0, 10)
	must(t, err)
	if len(all) != 4 {
		t.Errorf("auditor sees %d events across cases, want 4", len(all))
	}
	_, err = f.db.CustodyLeafHashes(f.ctx, f.provider, 0, 10)
	wantCode(t, err, rastro.EFORBIDDEN)
	_, err = f.db.CustodyHead(f.ctx, f.provider)
	wantCode(t, err, rastro.EFORBIDDEN)
}

// testKeys returns a fresh checkpoint signing key.
func testKeys(t testing.TB) *custody.Keys {
	t.Helper()
	keys, err := custody.LoadOrCreateKeys(t.TempDir(), "rastro.test/custody")
	must(t, err)
	return keys
}

// checkpoint signs and saves a checkpoint of the current head.
func (f *fixture) checkpoint(t testing.TB, keys *custody.Keys) *rastro.Checkpoint {
	t.Helper()
	head, err := f.db.CustodyHead(f.ctx, f.sys)
	must(t, err)
	cp, err := custody.SignCheckpoint(*head, keys.Signer)
	must(t, err)
	must(t, f.db.SaveCheckpoint(f.ctx, f.sys, cp))
	return cp
}

func testCustodyCheckpoints(t *testing.T, f *fixture) {
	keys := testKeys(t)
	_, err := f.db.LatestCheckpoint(f.ctx, f.inv)
	wantCode(t, err, rastro.ENOTFOUND)
	item := f.item(t, "chat.txt")
	f.appendN(t, item, 3)
	cp3 := f.checkpoint(t, keys)
	f.appendN(t, item, 4)
	cp7 := f.checkpoint(t, keys)

	head, _ := f.db.CustodyHead(f.ctx, f.sys)
	forged, _ := custody.SignCheckpoint(rastro.TreeHead{Size: head.Size, RootHash: custody.EmptyRoot()}, keys.Signer)
	wantCode(t, f.db.SaveCheckpoint(f.ctx, f.sys, forged), rastro.EINVALID)
	wantCode(t, f.db.SaveCheckpoint(f.ctx, f.inv, cp7), rastro.EFORBIDDEN)
	wantCode(t, f.db.SaveCheckpoint(f.ctx, f.sys, cp7), rastro.ECONFLICT)
	ahead, _ := custody.SignCheckpoint(rastro.TreeHead{Size: 99, RootHash: head.RootHash}, keys.Signer)
	wantCode(t, f.db.SaveCheckpoint(f.ctx, f.sys, ahead), rastro.EINVALID)

	latest, err := f.db.LatestCheckpoint(f.ctx, f.analyst)
	must(t, err)
	if latest.Size != 7 || latest.Note != cp7.Note {
		t.Errorf("latest checkpoint = %+v", latest)
	}
	got3, err := f.db.CheckpointBySize(f.ctx, f.auditor, 3)
	must(t, err)
	if got3.Note != cp3.Note {
		t.Errorf("checkpoint 3 = %+v", got3)
	}
	hashes, err := f.db.CustodyLeafHashes(f.ctx, f.analyst, 0, latest.Size)
	must(t, err)
	tree, _ := custody.NewTree(hashes)
	signed, err := custody.OpenCheckpoint([]byte(latest.Note), keys.VerifierKey)
	must(t, err)
	for i := range uint64(7) {
		path, err := tree.InclusionProof(i, 7)
		must(t, err)
		if err := custody.VerifyInclusion(i, 7, hashes[i], path, signed.Hash); err != nil {
			t.Errorf("inclusion of event %d in checkpoint 7: %v", i, err)
		}
	}
	cons, err := tree.ConsistencyProof(3, 7)
	must(t, err)
	must(t, custody.VerifyConsistency(3, 7, cons, got3.RootHash, latest.RootHash))
}

// testCustodyTamper edits the log behind the store's back (after dropping
// the append-only triggers, as someone with the database file could) and
// checks that re-verification names the event or the checkpoint.
func testCustodyTamper(t *testing.T, f *fixture) {
	keys := testKeys(t)
	item := f.item(t, "chat.txt")
	f.appendN(t, item, 5)
	f.checkpoint(t, keys)
	dropCustodyTriggers(t, f)
	verify := func() error {
		t.Helper()
		evs, err := f.db.CustodyRange(f.ctx, f.sys, 0, 100)
		must(t, err)
		cp, err := f.db.LatestCheckpoint(f.ctx, f.sys)
		must(t, err)
		return custody.VerifyLog(evs, []*rastro.Checkpoint{cp}, keys.VerifierKey)
	}
	must(t, verify())

	// Changing a column only: the fields no longer encode to the leaf.
	_, err := f.db.SQL().ExecContext(f.ctx, `UPDATE custody_events SET username = 'carla' WHERE seq = 2`)
	must(t, err)
	wantProblem(t, verify(), "event 2: the stored fields do not match the stored leaf")

	// Rewriting leaf and leaf hash consistently: the signed root breaks.
	evs, _ := f.db.CustodyRange(f.ctx, f.sys, 0, 100)
	ev := evs[2]
	leaf, err := custody.EncodeLeaf(ev)
	must(t, err)
	_, err = f.db.SQL().ExecContext(f.ctx, `UPDATE custody_events SET leaf = $1, leaf_hash = $2 WHERE seq = 2`, leaf, custody.LeafHash(leaf))
	must(t, err)
	wantProblem(t, verify(), "checkpoint 5: the root of events 0..4 is not the signed root")

	// Deleting an event: the sequence has a gap.
	_, err = f.db.SQL().ExecContext(f.ctx, `DELETE FROM custody_events WHERE seq = 3`)
	must(t, err)
	wantProblem(t, verify(), "event 3: missing")
}

// dropCustodyTriggers removes the append-only triggers of custody_events.
func dropCustodyTriggers(t *testing.T, f *fixture) {
	t.Helper()
	stmts := []string{`DROP TRIGGER custody_events_no_update`, `DROP TRIGGER custody_events_no_delete`}
	if f.db.Dialect().Name == "postgres" {
		stmts = []string{`DROP TRIGGER custody_events_no_change ON custody_events`}
	}
	for _, s := range stmts {
		_, err := f.db.SQL().ExecContext(f.ctx, s)
		must(t, err)
	}
}

// wantProblem fails unless err is a *custody.VerifyError with a problem
// whose text starts with want.
func wantProblem(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("verification passed; want %q", want)
	}
	ve, ok := err.(*custody.VerifyError)
	if !ok {
		t.Fatalf("error %v is not a *custody.VerifyError", err)
	}
	for _, p := range ve.Problems {
		if len(p.String()) >= len(want) && p.String()[:len(want)] == want {
			return
		}
	}
	t.Fatalf("problems %v; want one starting %q", ve.Problems, want)
}

// BenchCustody runs the custody log benchmarks. open must return a fresh,
// empty, migrated store and arrange for it to be closed.
func BenchCustody(b *testing.B, open func(tb testing.TB) *store.DB) {
	b.Run("AppendCustody", func(b *testing.B) {
		f := newFixture(b, open(b))
		item := f.item(b, "chat.txt")
		b.ReportAllocs()
		for b.Loop() {
			_, err := f.db.AppendCustody(f.ctx, f.analyst, &rastro.CustodyEvent{CaseID: f.caseID, EvidenceID: item.ID,
				Action: rastro.CustodyView, Details: json.RawMessage(`{"purpose":"review"}`)})
			must(b, err)
		}
	})
}
