package mru

import "testing"

func TestListKeepsTheMostRecentlyUsed(t *testing.T) {
	l := New[string, int](2)
	l.Put("a", 1)
	l.Put("b", 2)
	if v, ok := l.Get("a"); !ok || v != 1 { // a is now the most recent
		t.Fatalf("Get(a) = %d, %v", v, ok)
	}
	l.Put("c", 3) // drops b, the least recently used
	if _, ok := l.Get("b"); ok {
		t.Error("b kept beyond the bound")
	}
	for k, want := range map[string]int{"a": 1, "c": 3} {
		if v, ok := l.Get(k); !ok || v != want {
			t.Errorf("Get(%s) = %d, %v; want %d", k, v, ok, want)
		}
	}
	if got := l.Put("a", 9); got != 1 {
		t.Errorf("Put of a kept key returned %d, want its first value 1", got)
	}
	l.DeleteKeys(func(k string) bool { return k == "a" })
	if _, ok := l.Get("a"); ok || l.Len() != 1 {
		t.Errorf("after DeleteKeys(a): a kept %v, %d entries", ok, l.Len())
	}
}
