package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

// Names sharing a word across many chunks: inserts split chunks, removals and renames empty and re-key
// them, and every search still sees exactly the products that have the word.
func TestNameIndexChunks(t *testing.T) {
	s := openTemp(t)
	const n = 3*maxChunk + 7
	var ps []pos.Product
	for i := n - 1; i >= 0; i-- { // descending: every insert goes before the word's first chunk
		ps = append(ps, pos.Product{ID: fmt.Sprintf("%05d", i*2), Name: fmt.Sprintf("Хлеб ржаной %d", i)})
	}
	if err := s.PutProducts(ps); err != nil {
		t.Fatal(err)
	}
	var odd []pos.Product // between the existing ids: inserts in the middle of full chunks
	for i := range n {
		odd = append(odd, pos.Product{ID: fmt.Sprintf("%05d", i*2+1), Name: "Хлеб белый"})
	}
	if err := s.PutProducts(odd); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for i := range 2 * n {
		want[fmt.Sprintf("%05d", i)] = true
	}
	checkWord(t, s, "хлеб", want)
	// Rename every third product, remove every fifth through a pulled deletion.
	var renamed []pos.Product
	for i := 0; i < 2*n; i += 3 {
		renamed = append(renamed, pos.Product{ID: fmt.Sprintf("%05d", i), Name: "Батон нарезной"})
		delete(want, fmt.Sprintf("%05d", i))
	}
	if err := s.PutProducts(renamed); err != nil {
		t.Fatal(err)
	}
	err := s.update(func(tx *bbolt.Tx) error {
		c, err := openCatalog(tx)
		if err != nil {
			return err
		}
		for i := 0; i < 2*n; i += 5 {
			delete(want, fmt.Sprintf("%05d", i))
			if err := c.remove(fmt.Sprintf("%05d", i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkWord(t, s, "хлеб", want)
	batons := map[string]bool{}
	for i := 0; i < 2*n; i += 3 {
		if i%5 != 0 {
			batons[fmt.Sprintf("%05d", i)] = true
		}
	}
	checkWord(t, s, "батон", batons)
	checkChunks(t, s)
}

// checkWord lists the word through the index (limit above the count) and compares with want.
func checkWord(t *testing.T, s *Store, word string, want map[string]bool) {
	t.Helper()
	ps, err := s.SearchProducts(word, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	ids := productIDs(ps)
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("%q: ids not ascending and distinct", word)
	}
	if len(ids) != len(want) {
		t.Errorf("%q: %d products, want %d", word, len(ids), len(want))
	}
	for _, id := range ids {
		if !want[id] {
			t.Errorf("%q lists %s", word, id)
		}
	}
}

// checkChunks verifies the index's invariants: each key's id is its chunk's first, chunks are sorted,
// none is empty or over maxChunk.
func checkChunks(t *testing.T, s *Store) {
	t.Helper()
	err := s.view(func(tx *bbolt.Tx) error {
		return tx.Bucket(bktNameWords).ForEach(func(k, v []byte) error {
			ids, err := decodeChunk(nil, v)
			switch {
			case err != nil:
				return err
			case len(ids) == 0 || len(ids) > maxChunk:
				return fmt.Errorf("chunk %q holds %d ids", k, len(ids))
			case !strings.HasSuffix(string(k), "\x00"+string(ids[0])):
				return fmt.Errorf("chunk %q starts with %q", k, ids[0])
			case !slices.IsSortedFunc(ids, func(a, b []byte) int { return strings.Compare(string(a), string(b)) }):
				return fmt.Errorf("chunk %q not sorted", k)
			}
			return nil
		})
	})
	if err != nil {
		t.Error(err)
	}
}

// A schema-3 file with products gets its name index from migration 4.
func TestMigration4IndexesNames(t *testing.T) {
	path := writeRaw(t, func(tx *bbolt.Tx) error {
		for _, m := range migrations[:3] {
			if err := m.apply(tx); err != nil {
				return err
			}
		}
		prods := tx.Bucket(bktProducts)
		for _, p := range searchCatalog {
			if err := prods.Put([]byte(p.ID), encodeProduct(p)); err != nil {
				return err
			}
		}
		return putSchema(tx, 3)
	})
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaOf(); v < 4 {
		t.Fatalf("schema %d after open", v)
	}
	ps, err := s.SearchProducts("молок прост", 0)
	if err != nil || !slices.Equal(productIDs(ps), []string{"2001"}) {
		t.Errorf("after migration: %v, %v", productIDs(ps), err)
	}
	checkChunks(t, s)
}

func TestCatalogEmpty(t *testing.T) {
	s := openTemp(t)
	if empty, err := s.CatalogEmpty(); err != nil || !empty {
		t.Fatalf("new store: empty %v, %v", empty, err)
	}
	if err := s.PutProducts(searchCatalog[:1]); err != nil {
		t.Fatal(err)
	}
	if empty, err := s.CatalogEmpty(); err != nil || empty {
		t.Fatalf("with a product: empty %v, %v", empty, err)
	}
}

// The first pull builds the name index in one ordered pass; products written directly while it ran
// (and those the pull then replaces or deletes) are merged into it word by word.
func TestBulkLoadIndexesNames(t *testing.T) {
	s := openTemp(t)
	f := s.CatalogFeed()
	ctx := context.Background()
	w := func(id, name string) wire.Product { return wire.Product{ID: id, Name: name, VAT: "10"} }
	var first []wire.Product
	for i := range 300 {
		first = append(first, w(fmt.Sprintf("%04d", i), fmt.Sprintf("Молоко топлёное %d%%", i%7)))
	}
	if err := f.Apply(ctx, "", wire.Page[wire.Product]{Items: first, Next: "1", More: true}); err != nil {
		t.Fatal(err)
	}
	direct := []pos.Product{{ID: "0005", Name: "Кефир"}, {ID: "9000", Name: "Молоко козье"}, {ID: "9001", Name: "Квас"}}
	if err := s.PutProducts(direct); err != nil {
		t.Fatal(err)
	}
	last := wire.Page[wire.Product]{Items: []wire.Product{w("9001", "Квас хлебный"), w("0007", "Сок яблочный")},
		Deleted: []string{"0010"}, Next: "2"}
	if err := f.Apply(ctx, "1", last); err != nil {
		t.Fatal(err)
	}
	all, err := s.ProductsAfter("", 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"молоко", "молоко топленое", "кефир", "квас хлеб", "сок", "мол 3", "козье", "3"} {
		ps, err := s.SearchProducts(q, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := productIDs(ps), bruteSearch(all, q, 1000); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
	checkChunks(t, s)
}

// Two words with the same hash keep their own numbers (the collision is forced).
func TestNameIndexBuilderHashClash(t *testing.T) {
	b := newNameIndexBuilder(0)
	a := b.number([]byte("молоко"))
	b.insert(wordHash([]byte("кефир")), a) // as if «молоко» had «кефир»'s hash
	k := b.number([]byte("кефир"))
	if k == a || b.number([]byte("кефир")) != k || b.number([]byte("молоко")) != a {
		t.Fatalf("молоко %d, кефир %d then %d", a, k, b.number([]byte("кефир")))
	}
	if string(b.word(k)) != "кефир" || string(b.word(a)) != "молоко" {
		t.Errorf("words %q %q", b.word(a), b.word(k))
	}
}
