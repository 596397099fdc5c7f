package money

import "testing"

func TestParseAmount(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		comma bool
		want  string
	}{
		{"comma decimal with dot groups", `"2.909.810,00"`, true, "2909810.00"},
		{"dot decimal with comma groups", "1,234.56", false, "1234.56"},
		{"negative", "-300.00", false, "-300.00"},
		{"accounting parentheses", "(12.50)", false, "-12.50"},
		{"18-decimal token beyond int64", "123.456789012345678901", false, "123.456789012345678901"},
		{"satoshi", "0.00001476", false, "0.00001476"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ParseAmount(tc.in, tc.comma)
			if err != nil {
				t.Fatal(err)
			}
			if a.String() != tc.want {
				t.Errorf("ParseAmount(%q) = %s, want %s", tc.in, a, tc.want)
			}
		})
	}
	for _, bad := range []string{"", "12.3.4", "abc", "1,2,3.4.5"} {
		if _, err := ParseAmount(bad, false); err == nil {
			t.Errorf("ParseAmount(%q) accepted", bad)
		}
	}
}

func TestAmountArithmetic(t *testing.T) {
	big := MustAmount("9.000000000000000000") // 9e18 minor units: near int64's limit
	sum := big.Add(big)
	if sum.String() != "18.000000000000000000" {
		t.Errorf("sum over int64 = %s", sum)
	}
	if MustAmount("0.1").Add(MustAmount("0.2")).Cmp(MustAmount("0.30")) != 0 {
		t.Error("0.1 + 0.2 != 0.30")
	}
	if got := MustAmount("100.00").MulFrac(MustAmount("1"), MustAmount("3")).String(); got != "33.33" {
		t.Errorf("100/3 = %s, want 33.33 (rounded towards zero)", got)
	}
	r := Rates{To: "USD", Rates: map[string]Amount{"MXN": MustAmount("0.058")}}
	if got, ok := r.Convert(MustAmount("1000.00"), "MXN", 2); !ok || got.String() != "58.00" {
		t.Errorf("1000 MXN = %s USD (%v)", got, ok)
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1.234,56", "-300.00", "0.000000000000000001"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, comma bool) {
		a, err := ParseAmount(s, comma)
		if err != nil {
			return
		}
		b, err := ParseAmount(a.String(), false)
		if err != nil || b.Cmp(a) != 0 {
			t.Errorf("round trip of %q: %s -> %s (%v)", s, a, b, err)
		}
	})
}
