package store

import (
	"bytes"
	"testing"
)

// compareKeys must order codes exactly as bytes.Compare does, which is how bbolt orders keys.
func TestCompareKeys(t *testing.T) {
	codes := []string{"", "0", "4", "46", "46\x00", "46\x00\x01", "4600000000011", "4600000000028",
		"4607000000014", "46070000000140", "4607000000014000000001", "4607000000014000000002",
		"4607000000014000", "4607000000014000\x00", "W-10234", "\xff\xff"}
	for _, a := range codes {
		for _, b := range codes {
			want := bytes.Compare([]byte(a), []byte(b))
			if got := compareKeys(keyOf([]byte(a)), keyOf([]byte(b)), []byte(a), []byte(b)); got != want {
				t.Errorf("compareKeys(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}

func FuzzCompareKeys(f *testing.F) {
	f.Add([]byte("4600000000011"), []byte("4600000000028"))
	f.Add([]byte("46"), []byte("46\x00"))
	f.Add([]byte("4607000000014000000001"), []byte("4607000000014000"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if got, want := compareKeys(keyOf(a), keyOf(b), a, b), bytes.Compare(a, b); got != want {
			t.Errorf("compareKeys(%q, %q) = %d, want %d", a, b, got, want)
		}
	})
}
