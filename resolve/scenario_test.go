package resolve

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rastro/rastro/synth"
)

// scenarioRecords turns the people of a generated case into records the way
// they reach Rastro: a suspect appears once per phone and once per handle,
// each record with a different spelling of the name (as written, without
// accents, with the first surname only, or in capitals) and one of the
// person's e-mails or handles so that the records of one person connect;
// the date of birth appears on half of them. A possible victim appears
// once. A bystander appears once with the same full name and city as the
// suspect they resemble, their own phone (usually one digit off the
// suspect's) and e-mail, and their date of birth.
func scenarioRecords(t *testing.T, people []synth.Person) (recs []Record, truth map[string]string) {
	t.Helper()
	truth = map[string]string{}
	add := func(p synth.Person, n int, f map[string][]string) {
		id := fmt.Sprintf("%s-%d", p.ID, n)
		f[FieldCity] = []string{p.City}
		recs = append(recs, Record{ID: id, Fields: f})
		truth[id] = p.ID
	}
	for _, p := range people {
		anchors := append(append([]string{}, p.Emails...), p.Handles...)
		switch p.Kind {
		case "suspect":
			n := 0
			for k, ph := range p.Phones {
				f := map[string][]string{FieldName: {nameVariant(p.Name, n)}, FieldPhone: {ph}}
				putAnchor(f, anchors[k%len(anchors)])
				if n%2 == 0 {
					f[FieldBirthDate] = []string{p.BirthDate}
				}
				add(p, n, f)
				n++
			}
			for _, h := range p.Handles {
				f := map[string][]string{FieldName: {nameVariant(p.Name, n)}, FieldHandle: {h}}
				putAnchor(f, anchors[0])
				add(p, n, f)
				n++
			}
		default:
			add(p, 0, map[string][]string{FieldName: {p.Name}, FieldPhone: p.Phones, FieldEmail: p.Emails, FieldBirthDate: {p.BirthDate}})
		}
	}
	return recs, truth
}

// putAnchor adds an e-mail or a platform:handle to f.
func putAnchor(f map[string][]string, a string) {
	if strings.Contains(a, "@") {
		f[FieldEmail] = append(f[FieldEmail], a)
	} else {
		f[FieldHandle] = append(f[FieldHandle], a)
	}
}

// nameVariant spells a name the n-th way.
func nameVariant(name string, n int) string {
	switch n % 4 {
	case 1:
		return fold(name)
	case 2:
		t := strings.Fields(name)
		return strings.Join(t[:min(2, len(t))], " ")
	case 3:
		return strings.ToUpper(name)
	}
	return name
}

// TestScenario resolves the people of five generated tiny cases and
// checks, against truth.json: pairwise F1 of the clusters ≥ 0.95; every
// suspect's records (one per phone and handle) in one cluster; no bystander
// in the cluster of the suspect they resemble; and the two suspects who
// share a phone (shared_with) kept apart. As a control, the same records
// resolved with the safeguards off (AllowNameOnly, FuzzyIdentifiers) must
// merge at least one bystander with their suspect over the five cases:
// otherwise the check above would prove nothing.
func TestScenario(t *testing.T) {
	unsafeMerges := 0
	for _, tc := range []struct {
		size string
		seed uint64
	}{{"tiny", 1}, {"tiny", 2}, {"tiny", 3}, {"tiny", 4}, {"tiny", 5}} {
		t.Run(fmt.Sprintf("%s-%d", tc.size, tc.seed), func(t *testing.T) {
			tr, err := synth.Generate(context.Background(), synth.Options{Size: tc.size, Seed: tc.seed, Out: filepath.Join(t.TempDir(), "case")})
			if err != nil {
				t.Fatal(err)
			}
			recs, truth := scenarioRecords(t, tr.People)
			res, err := Resolve(context.Background(), recs, nil, Options{})
			if err != nil {
				t.Fatal(err)
			}
			m := Evaluate(res.Clusters, truth)
			t.Logf("%d people, %d records: precision %.3f recall %.3f F1 %.3f", len(tr.People), len(recs), m.Precision, m.Recall, m.F1)
			checkScenario(t, tr.People, res)
			if m.F1 < 0.95 {
				t.Errorf("person-level pairwise F1 %.3f < 0.95", m.F1)
			}
			unsafe, err := Resolve(context.Background(), recs, nil, Options{AllowNameOnly: true, FuzzyIdentifiers: true})
			if err != nil {
				t.Fatal(err)
			}
			n := len(bystanderMerges(tr.People, unsafe))
			t.Logf("without safeguards: %d bystanders merged with their suspect, F1 %.3f", n, Evaluate(unsafe.Clusters, truth).F1)
			unsafeMerges += n
		})
	}
	if unsafeMerges == 0 {
		t.Errorf("control: no bystander merged even without safeguards; the scenario does not exercise them")
	}
}

// bystanderMerges returns the bystanders in the cluster of the suspect
// they resemble.
func bystanderMerges(people []synth.Person, res *Result) []string {
	of := res.ClusterOf()
	var out []string
	for _, p := range people {
		if p.Resembles == "" {
			continue
		}
		for id, c := range of {
			if strings.HasPrefix(id, p.Resembles+"-") && c == of[p.ID+"-0"] {
				out = append(out, p.ID)
				break
			}
		}
	}
	return out
}

// checkScenario checks suspects, bystanders and shared phones.
func checkScenario(t *testing.T, people []synth.Person, res *Result) {
	t.Helper()
	of := res.ClusterOf()
	clustersOf := func(pid string) map[string]bool {
		out := map[string]bool{}
		for id, c := range of {
			if strings.HasPrefix(id, pid+"-") {
				out[c] = true
			}
		}
		return out
	}
	for _, b := range bystanderMerges(people, res) {
		t.Errorf("bystander %s merged with the suspect they resemble", b)
		explainCluster(t, res, of[b+"-0"])
	}
	for _, p := range people {
		cs := clustersOf(p.ID)
		if p.Kind == "suspect" && len(cs) != 1 {
			t.Errorf("suspect %s (%d phones) split over %d clusters", p.ID, len(p.Phones), len(cs))
		}
		for _, o := range p.SharedWith {
			for c := range clustersOf(o) {
				if cs[c] {
					t.Errorf("%s and %s share a phone and were merged", p.ID, o)
				}
			}
		}
	}
}

// explainCluster logs the scored pairs inside cluster c.
func explainCluster(t *testing.T, res *Result, c string) {
	t.Helper()
	of := res.ClusterOf()
	for _, p := range res.Pairs {
		if of[p.A] == c && of[p.B] == c && p.Probability >= res.Threshold {
			t.Logf("%s ~ %s: %.1f bits (p %.3f)", p.A, p.B, p.Weight, p.Probability)
			for _, ct := range p.Contributions {
				t.Logf("    %s", ct.Text)
			}
		}
	}
}
