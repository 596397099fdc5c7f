package resolve

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPhoneticGroupsSpellings(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"b and v", "vasquez", "basquez", true},
		{"s and z", "vazquez", "vasquez", true},
		{"ending s and z", "gonzalez", "gonzales", true},
		{"c before i is s", "cisneros", "sisneros", true},
		{"ll and y", "yolanda", "llolanda", true},
		{"silent h", "helena", "elena", true},
		{"qu and k", "quintero", "kintero", true},
		{"g before e is j", "jimenez", "gimenez", true},
		{"c and k in English", "catherine", "katherine", true},
		{"th", "kathryn", "katrin", true},
		{"ph and f", "stephanie", "stefanie", true},
		{"doubled letters", "anna", "ana", true},
		{"different surnames", "hernandez", "fernandez", false},
		{"different names", "jose", "juan", false},
		{"nan vs nn kept apart", "nana", "nn", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pa, pb := phonetic(tt.a), phonetic(tt.b)
			if (pa == pb) != tt.same {
				t.Errorf("phonetic(%q)=%q, phonetic(%q)=%q; same=%v, want %v", tt.a, pa, tt.b, pb, pa == pb, tt.same)
			}
		})
	}
}

func TestNamePartsSplitsSpanishNames(t *testing.T) {
	tests := []struct {
		name                   string
		first, last, full      []string
		wantGiven, wantSurname []string
	}{
		{"two given names, two surnames", nil, nil, []string{"María José Pérez González"}, []string{"maria", "jose"}, []string{"perez", "gonzalez"}},
		{"one given name, two surnames", nil, nil, []string{"Jonathan Aguilar Rodríguez"}, []string{"jonathan"}, []string{"aguilar", "rodriguez"}},
		{"particles dropped", nil, nil, []string{"Juan de la Cruz Núñez"}, []string{"juan"}, []string{"cruz", "nunez"}},
		{"explicit fields win", []string{"Ana"}, []string{"Ruiz-Díaz"}, []string{"ignored"}, []string{"ana"}, []string{"ruiz", "diaz"}},
		{"single token", nil, nil, []string{"Chino"}, []string{"chino"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, s := nameParts(tt.first, tt.last, tt.full)
			if diff := cmp.Diff(tt.wantGiven, g); diff != "" {
				t.Errorf("given (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSurname, s); diff != "" {
				t.Errorf("surnames (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNicknamesResolveToFullNames(t *testing.T) {
	for nick, full := range map[string]string{"pepe": "jose", "paco": "francisco", "lupe": "guadalupe", "chuy": "jesus", "bill": "william", "bob": "robert", "maria": "maria"} {
		if got := canonicalGiven(nick); got != full {
			t.Errorf("canonicalGiven(%q) = %q, want %q", nick, got, full)
		}
	}
}

func TestStringSimilarity(t *testing.T) {
	jw := []struct {
		a, b     string
		min, max float64
	}{
		{"martha", "marhta", 0.96, 0.962},
		{"dwayne", "duane", 0.84, 0.841},
		{"same", "same", 1, 1},
		{"abc", "xyz", 0, 0},
	}
	for _, tt := range jw {
		if got := jaroWinkler(tt.a, tt.b); got < tt.min || got > tt.max {
			t.Errorf("jaroWinkler(%q, %q) = %.4f, want in [%.3f, %.3f]", tt.a, tt.b, got, tt.min, tt.max)
		}
	}
	lev := []struct {
		a, b        string
		limit, want int
	}{
		{"kitten", "sitting", 5, 3},
		{"kitten", "sitting", 1, 2}, // stops early: limit+1
		{"19900528", "19900582", 2, 2},
		{"", "abc", 5, 3},
	}
	for _, tt := range lev {
		if got := levenshtein(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("levenshtein(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

func TestNormIdentifier(t *testing.T) {
	tests := []struct{ field, in, want string }{
		{FieldPhone, "+505 8555 0115", "50585550115"},
		{FieldPhone, "12", ""},
		{FieldEmail, "Luna.V@Example.com", "luna.v@example.com"},
		{FieldHandle, "@Tigre_GT", "tigre_gt"},
		{FieldHandle, "telegram:@tigre_gt", "telegram:tigre_gt"},
		{FieldIBAN, "cr05 0152 0200 1026 2840 66", "CR05015202001026284066"},
	}
	for _, tt := range tests {
		if got := normIdentifier(tt.field, tt.in); got != tt.want {
			t.Errorf("normIdentifier(%s, %q) = %q, want %q", tt.field, tt.in, got, tt.want)
		}
	}
}
