package resolve

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
)

var (
	testGiven   = []string{"José", "María", "Francisco", "Guadalupe", "Jesús", "Ana", "Luis", "Carmen", "Jorge", "Sofía", "Ricardo", "Elena"}
	testSurname = []string{"Pérez", "González", "Hernández", "López", "Martínez", "Vásquez", "Ramírez", "Cruz", "Flores", "Reyes", "Morales", "Ortiz", "Castillo", "Jiménez"}
)

// peopleRecords builds n fictional people, each described by two records:
// the full name with a phone and date of birth, and a respelled name (no
// accents, nickname for José/Francisco) with the same phone and an e-mail.
// truth maps record ID to person.
func peopleRecords(n int) (recs []Record, truth map[string]string) {
	r := rand.New(rand.NewPCG(1, 2))
	truth = map[string]string{}
	for i := range n {
		g, s1, s2 := testGiven[r.IntN(len(testGiven))], testSurname[r.IntN(len(testSurname))], testSurname[r.IntN(len(testSurname))]
		phone := fmt.Sprintf("+50245550%03d", i)
		dob := fmt.Sprintf("19%02d-%02d-%02d", 60+r.IntN(40), 1+r.IntN(12), 1+r.IntN(28))
		nick := map[string]string{"José": "Pepe", "Francisco": "Paco"}[g]
		if nick == "" {
			nick = fold(g)
		}
		p := fmt.Sprintf("p%03d", i)
		recs = append(recs,
			Record{ID: p + "-a", Fields: map[string][]string{FieldName: {g + " " + s1 + " " + s2}, FieldPhone: {phone}, FieldBirthDate: {dob}}},
			Record{ID: p + "-b", Fields: map[string][]string{FieldName: {nick + " " + fold(s1)}, FieldPhone: {phone}, FieldEmail: {fmt.Sprintf("u%03d@example.com", i)}}})
		truth[p+"-a"], truth[p+"-b"] = p, p
	}
	return recs, truth
}

func mustResolve(tb testing.TB, recs []Record, js []Judgement, o Options) *Result {
	tb.Helper()
	res, err := Resolve(context.Background(), recs, js, o)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func TestResolveFindsPeopleAcrossSpellings(t *testing.T) {
	recs, truth := peopleRecords(60)
	res := mustResolve(t, recs, nil, Options{})
	m := Evaluate(res.Clusters, truth)
	if m.F1 < 0.98 {
		t.Errorf("F1 %.3f (precision %.3f, recall %.3f), want ≥ 0.98", m.F1, m.Precision, m.Recall)
	}
	of := res.ClusterOf()
	if of["p000-a"] != of["p000-b"] {
		t.Errorf("the two records of p000 (%v / %v) were not merged", recs[0].Fields[FieldName], recs[1].Fields[FieldName])
	}
}

func TestJudgementsWin(t *testing.T) {
	recs, _ := peopleRecords(60)
	tests := []struct {
		name      string
		js        []Judgement
		together  [][2]string
		apart     [][2]string
		wantNotes []string
	}{
		{"not same splits a strong pair", []Judgement{{A: "p001-a", B: "p001-b", Verdict: NotSame}}, nil, [][2]string{{"p001-a", "p001-b"}}, []string{""}},
		{"same merges unrelated records", []Judgement{{A: "p002-a", B: "p003-a", Verdict: Same}}, [][2]string{{"p002-a", "p003-a"}, {"p002-b", "p003-b"}}, nil, []string{""}},
		{"not same holds across a chain of same", []Judgement{
			{A: "p004-a", B: "p005-a", Verdict: NotSame},
			{A: "p004-b", B: "p005-b", Verdict: Same},
		}, nil, [][2]string{{"p004-a", "p005-a"}}, []string{"", ""}},
		{"contradiction: not same wins and is reported", []Judgement{
			{A: "p006-a", B: "p006-b", Verdict: NotSame},
			{A: "p006-b", B: "p006-a", Verdict: Same},
		}, nil, [][2]string{{"p006-a", "p006-b"}}, []string{"", "conflicts with a not-same judgement; not merged"}},
		{"unsure changes nothing", []Judgement{{A: "p007-a", B: "p007-b", Verdict: Unsure}}, [][2]string{{"p007-a", "p007-b"}}, nil, []string{"unsure: the score decides"}},
		{"unknown record reported", []Judgement{{A: "p007-a", B: "nobody", Verdict: Same}}, nil, nil, []string{"record not among the input"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustResolve(t, recs, tt.js, Options{})
			of := res.ClusterOf()
			for _, p := range tt.together {
				if of[p[0]] != of[p[1]] {
					t.Errorf("%s and %s in different clusters", p[0], p[1])
				}
			}
			for _, p := range tt.apart {
				if of[p[0]] == of[p[1]] {
					t.Errorf("%s and %s in one cluster despite a not-same judgement", p[0], p[1])
				}
			}
			var notes []string
			for _, o := range res.Judgements {
				notes = append(notes, o.Note)
			}
			if diff := cmp.Diff(tt.wantNotes, notes); diff != "" {
				t.Errorf("judgement notes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSharedPhoneIsStrongButNotConclusive: a ring's phone used by four
// people of different names weighs less than a phone two records share,
// never exceeds the cap, and does not merge people whose names and dates
// of birth differ.
func TestSharedPhoneIsStrongButNotConclusive(t *testing.T) {
	recs, _ := peopleRecords(60)
	ring := "+50245559999"
	for i, n := range []string{"Kevin Ortiz Martínez", "Tatiana Castro Smith", "Elvin Williams Brown", "Dayana Cruz Romero"} {
		recs = append(recs, Record{ID: fmt.Sprintf("ring-%d", i), Fields: map[string][]string{
			FieldName: {n}, FieldPhone: {ring}, FieldBirthDate: {fmt.Sprintf("198%d-0%d-1%d", i, i+1, i)}}})
	}
	o := Options{KeepProbability: 1e-9}
	res := mustResolve(t, recs, nil, o)
	of := res.ClusterOf()
	for i := 1; i < 4; i++ {
		if of["ring-0"] == of[fmt.Sprintf("ring-%d", i)] {
			t.Errorf("ring-0 and ring-%d merged on a shared phone alone", i)
		}
	}
	ringBits := phoneContribution(t, res, "ring-0", "ring-1")
	pairBits := phoneContribution(t, res, "p010-a", "p010-b")
	if ringBits.SharedBy != 4 || pairBits.SharedBy != 2 {
		t.Errorf("shared by %d and %d, want 4 and 2", ringBits.SharedBy, pairBits.SharedBy)
	}
	if ringBits.Bits >= pairBits.Bits {
		t.Errorf("phone shared by 4 gives %.2f bits, by 2 gives %.2f: want less", ringBits.Bits, pairBits.Bits)
	}
	if limit := -res.Pairs[0].PriorBits - 1; pairBits.Bits > limit || ringBits.TFBits >= 0 {
		t.Errorf("pair %+v, ring %+v: want at most %.1f bits (prior odds minus one) and a negative frequency adjustment for the ring", pairBits, ringBits, limit)
	}
	if !strings.Contains(ringBits.Text, "held by 4 records") {
		t.Errorf("explanation %q does not say the phone is held by 4 records", ringBits.Text)
	}
}

// phoneContribution returns the phone contribution of the pair a, b.
func phoneContribution(t *testing.T, res *Result, a, b string) Contribution {
	t.Helper()
	for _, p := range res.Pairs {
		if p.A == a && p.B == b || p.A == b && p.B == a {
			for _, c := range p.Contributions {
				if c.Field == FieldPhone {
					return c
				}
			}
		}
	}
	t.Fatalf("no scored pair %s/%s with a phone contribution", a, b)
	return Contribution{}
}

func TestExplanationsAddUp(t *testing.T) {
	recs, _ := peopleRecords(60)
	res := mustResolve(t, recs, nil, Options{})
	if len(res.Pairs) == 0 {
		t.Fatal("no pairs")
	}
	for _, p := range res.Pairs[:10] {
		sum := p.PriorBits
		fields := map[string]bool{}
		for _, c := range p.Contributions {
			sum += c.Bits
			fields[c.Field] = true
			if c.Text == "" {
				t.Errorf("%s/%s: %s has no text", p.A, p.B, c.Field)
			}
		}
		if d := sum - p.Weight; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s/%s: contributions sum to %.4f, weight %.4f", p.A, p.B, sum, p.Weight)
		}
		for _, f := range []string{"given_name", "surname", "birth_date", FieldPhone, FieldEmail} {
			if !fields[f] {
				t.Errorf("%s/%s: no contribution for %s (missing fields must be listed too)", p.A, p.B, f)
			}
		}
	}
}

func TestResolveIsDeterministic(t *testing.T) {
	recs, _ := peopleRecords(40)
	want := mustResolve(t, recs, nil, Options{})
	shuffled := append([]Record(nil), recs...)
	rand.New(rand.NewPCG(9, 9)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	got := mustResolve(t, shuffled, nil, Options{})
	if diff := cmp.Diff(want.Clusters, got.Clusters); diff != "" {
		t.Errorf("clusters depend on input order (-first +shuffled):\n%s", diff)
	}
}

func TestResolveRejectsBadInput(t *testing.T) {
	tests := []struct {
		name string
		recs []Record
		js   []Judgement
	}{
		{"empty ID", []Record{{ID: ""}}, nil},
		{"duplicate ID", []Record{{ID: "a"}, {ID: "a"}}, nil},
		{"unknown verdict", []Record{{ID: "a"}, {ID: "b"}}, []Judgement{{A: "a", B: "b", Verdict: "maybe"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resolve(context.Background(), tt.recs, tt.js, Options{})
			var e *rastro.Error
			if !errors.As(err, &e) || e.Code != rastro.EINVALID {
				t.Errorf("err = %v, want EINVALID", err)
			}
		})
	}
}

func TestRecordFromEntity(t *testing.T) {
	e := &rastro.Entity{ID: "e1", Statements: []*rastro.Statement{
		{Prop: "name", Value: "María Pérez"},
		{Prop: "phone", Value: "+505 8555 0115", Normalized: "+50585550115"},
		{Prop: "email", Value: "maria@example.com"},
		{Prop: "notes", Value: "ignored"},
	}}
	want := Record{ID: "e1", Fields: map[string][]string{FieldName: {"María Pérez"}, FieldPhone: {"+50585550115"}, FieldEmail: {"maria@example.com"}}}
	if diff := cmp.Diff(want, RecordFromEntity(e)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
