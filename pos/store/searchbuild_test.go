package store

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

// runeWords is eachWord's specification: every rune decoded, folded by foldRune and encoded again.
func runeWords(s string) []string {
	var out []string
	var buf []byte
	class := 0
	for _, r := range s {
		r, c := foldRune(r)
		if c != class && len(buf) > 0 {
			out, buf = append(out, string(buf)), buf[:0]
		}
		if class = c; c != 0 {
			buf = utf8.AppendRune(buf, r)
		}
	}
	if len(buf) > 0 {
		out = append(out, string(buf))
	}
	return out
}

var foldCases = []string{
	"Молоко Простоквашино 3,2% 930 мл", "ЁЖИК ёж Ёлка", "Товар 123456, упаковка 250 г", "LAVAZZA Crema",
	"Ѐ Ѓ Ї ѐ ѓ ї Ѡѡ", "İstanbul \u212Aelvin", "Ǆ ǅ ǆ", "٣٤ cafe\u0301", "日本酒 0,5л", "\xd0", "\xd0A\xd1",
	"\xc0\x80 \xc2\x80 \xdf\xbf", "\xe2\x82\xac100", "", "   ", "a1b2в3Г",
}

// The byte-wise fast path of eachWord splits and folds exactly as decoding rune by rune does.
func TestEachWordFoldsAsRunes(t *testing.T) {
	for _, s := range append(foldCases, namesOf(searchCatalog)...) {
		var got []string
		eachWord([]byte(s), nil, func(w []byte) { got = append(got, string(w)) })
		if want := runeWords(s); !slices.Equal(got, want) {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	}
}

func FuzzEachWord(f *testing.F) {
	for _, s := range append(foldCases, namesOf(searchCatalog)...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got []string
		eachWord([]byte(s), nil, func(w []byte) { got = append(got, string(w)) })
		if want := runeWords(s); !slices.Equal(got, want) {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	})
}

func namesOf(ps []pos.Product) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

// sortKeyRefs and sortTies order keys as bytes.Compare does, equal keys in their original order.
func TestSortKeyRefs(t *testing.T) {
	rnd := rand.New(rand.NewPCG(4, 6))
	shapes := []struct {
		name string
		key  func(i int) string
	}{
		{"EAN-13", func(i int) string { return fmt.Sprintf("46%011d", rnd.IntN(1e9)) }},
		{"short and long", func(i int) string { return strings.Repeat("7", rnd.IntN(20)) + fmt.Sprint(rnd.IntN(5)) }},
		{"shared 16-byte prefix", func(i int) string { return "4607000000014000" + fmt.Sprint(rnd.IntN(50)) }},
		{"Cyrillic words", func(i int) string {
			return []string{"молоко", "молочный", "мол", "молокозавод"}[rnd.IntN(4)]
		}},
		{"one key", func(i int) string { return "x" }},
	}
	for _, sh := range shapes {
		for _, n := range []int{1, 10, 63, 64, 1000} {
			keys := make([]string, n)
			refs := make([]keyRef, n)
			for i := range keys {
				keys[i] = sh.key(i)
				refs[i] = keyRef{keyOf([]byte(keys[i])), uint32(i)}
			}
			sortKeyRefs(refs)
			sortTies(refs, func(a, b uint32) int { return strings.Compare(keys[a], keys[b]) })
			want := make([]uint32, n)
			for i := range want {
				want[i] = uint32(i)
			}
			slices.SortStableFunc(want, func(a, b uint32) int { return strings.Compare(keys[a], keys[b]) })
			for i, r := range refs {
				if r.ref != want[i] {
					t.Fatalf("%s, %d keys: at %d %q (#%d), want %q (#%d)", sh.name, n, i, keys[r.ref], r.ref,
						keys[want[i]], want[i])
				}
			}
		}
	}
}

// The word table keeps every word's number while it grows.
func TestNameIndexBuilderGrows(t *testing.T) {
	b := newNameIndexBuilder(0)
	for round := range 2 {
		for i := range 5000 {
			w := []byte(fmt.Sprintf("слово%d", i))
			if got := b.number(w); got != uint32(i) {
				t.Fatalf("round %d: %s is %d, want %d", round, w, got, i)
			}
		}
	}
	if len(b.slots) < 5000*4/3 {
		t.Errorf("%d slots for 5000 words", len(b.slots))
	}
}

// A bulk-built name index lists, word by word, the same articles as one written product by product.
func TestBulkNameIndexEqualsDirect(t *testing.T) {
	rnd := rand.New(rand.NewPCG(8, 1))
	vocab := []string{"Молоко", "молочный", "Сыр", "ёлка", "ЁЖИК", "вода", "0,5л", "1,5 л", "J7", "Lavazza"}
	var items []wire.Product
	var direct []pos.Product
	for i := range 1500 {
		name := fmt.Sprintf("Товар %d", i%97)
		for range rnd.IntN(5) {
			name += " " + vocab[rnd.IntN(len(vocab))]
		}
		id := fmt.Sprintf("%05d", rnd.IntN(20000))
		items = append(items, wire.Product{ID: id, Name: name, VAT: "10"})
		direct = append(direct, pos.Product{ID: id, Name: name})
	}
	bulk := openTemp(t)
	ctx := context.Background()
	for i := 0; i < len(items); i += 500 {
		page := wire.Page[wire.Product]{Items: items[i : i+500], Next: fmt.Sprint(i + 500), More: i+500 < len(items)}
		since := ""
		if i > 0 {
			since = fmt.Sprint(i)
		}
		if err := bulk.CatalogFeed().Apply(ctx, since, page); err != nil {
			t.Fatal(err)
		}
	}
	one := openTemp(t)
	for _, p := range direct {
		if err := one.PutProducts([]pos.Product{p}); err != nil {
			t.Fatal(err)
		}
	}
	got, want := indexedWords(t, bulk), indexedWords(t, one)
	if len(want) == 0 || !maps.Equal(got, want) {
		t.Errorf("bulk index has %d words, direct %d", len(got), len(want))
	}
	checkChunks(t, bulk)
}

// indexedWords reads the name index back as word -> its ids in order.
func indexedWords(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := s.view(func(tx *bbolt.Tx) error {
		return tx.Bucket(bktNameWords).ForEach(func(k, v []byte) error {
			ids, err := decodeChunk(nil, v)
			word := string(k[:bytes.IndexByte(k, 0)])
			for _, id := range ids {
				out[word] += string(id) + " "
			}
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
