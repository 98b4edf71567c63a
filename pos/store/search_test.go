package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/pos"
	"go.etcd.io/bbolt"
)

var searchCatalog = []pos.Product{
	{ID: "2001", Name: "Молоко Простоквашино пастеризованное 3,2% 930 мл"},
	{ID: "2002", Name: "Сок яблочный J7 0,97 л"},
	{ID: "2003", Name: "Коктейль молочный Чудо шоколадный 2% 200 мл"},
	{ID: "2004", Name: "Молочная смесь Малютка"},
	{ID: "2005", Name: "Вода питьевая Святой источник 1,5л"},
	{ID: "2006", Name: "Водка Пять озёр 0,5 л"},
	{ID: "2007", Name: "Сыр Российский Брест-Литовск 200 г"},
	{ID: "2008", Name: "Мороженое пломбир Коровка из Кореновки"},
	{ID: "2009", Name: "Чай чёрный Greenfield Golden Ceylon 100 пак."},
	{ID: "2010", Name: "Кофе молотый Lavazza Crema e Gusto 250 г"},
	{ID: "2011", Name: "Печенье сдобное «Юбилейное» молочное"},
}

// The matching rules of searchfold.go, one row each.
func TestSearchMatchingRules(t *testing.T) {
	s := openTemp(t)
	if err := s.PutProducts(searchCatalog); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		rule, query string
		want        []string
	}{
		{"words in any order, prefixes", "прост молок", []string{"2001"}},
		{"word being typed", "молок прос", []string{"2001"}},
		{"two prefixes", "сок яблоч", []string{"2002"}},
		{"inflected query: -а", "молока", []string{"2001"}},
		{"inflected query: -ый finds -ая and -ое", "молочный", []string{"2003", "2004", "2011"}},
		{"derived word with another stem is not matched", "молоко", []string{"2001"}},
		{"ё typed as е", "пять озер", []string{"2006"}},
		{"ё in the query", "ЧЁРНЫЙ чай", []string{"2009"}},
		{"case-insensitive", "LAVAZZA", []string{"2010"}},
		{"latin words keep their endings", "crem", []string{"2010"}},
		{"stem of «вода» also begins «водка»", "вода", []string{"2005", "2006"}},
		{"a second word narrows it", "вода питьевая", []string{"2005"}},
		{"short words keep their ending", "сыр", []string{"2007"}},
		{"«сыра» loses -а", "сыра", []string{"2007"}},
		{"digits apart from letters", "1,5 л", []string{"2005"}},
		{"number prefix", "93", []string{"2001"}},
		{"hyphen separates", "литовск брест", []string{"2007"}},
		{"quotes separate", "юбилейн", []string{"2011"}},
		{"a word no name begins", "кефир", nil},
		{"not a substring inside a word", "локо", nil},
		{"every word must match", "молоко водка", nil},
		{"only punctuation", "%%", nil},
	}
	for _, tt := range tests {
		ps, err := s.SearchProducts(tt.query, 0)
		if err != nil {
			t.Fatal(err)
		}
		if ids := productIDs(ps); !slices.Equal(ids, tt.want) {
			t.Errorf("%s: SearchProducts(%q) = %v, want %v", tt.rule, tt.query, ids, tt.want)
		}
	}
}

func productIDs(ps []pos.Product) []string {
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	return ids
}

func TestQueryTerms(t *testing.T) {
	tests := []struct {
		query string
		want  []string
	}{
		{"Молоко", []string{"молок"}},
		{"молочного", []string{"молочн"}},
		{"яблочными", []string{"яблочн"}},
		{"сок", []string{"сок"}},
		{"чая", []string{"чая"}},
		{"соки", []string{"сок"}},
		{"ёжик", []string{"ежик"}},
		{"мол молоко", []string{"молок"}},
		{"молоко молока", []string{"молок"}},
		{"0,5л", []string{"0", "5", "л"}},
		{"Coca-Cola", []string{"coca", "cola"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := queryTerms(tt.query); !slices.Equal(got, tt.want) {
			t.Errorf("queryTerms(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}

// FuzzQueryTerms checks the folding and ending rules on any text: terms are folded words without
// separators, no longer than a word of the text, and a name always finds itself.
func FuzzQueryTerms(f *testing.F) {
	for _, p := range searchCatalog {
		f.Add(p.Name)
	}
	for _, q := range []string{"молок прост", "ЁЖИК", "0,5л", "сыра", "\xff\xfeмол", "Ǆ", "İ"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, name string) {
		terms := queryTerms(name)
		for _, term := range terms {
			if term == "" || !utf8.ValidString(term) || strings.ContainsAny(term, " ,.-ёЁ\x00") {
				t.Fatalf("term %q of %q", term, name)
			}
			if again := queryTerms(term); len(again) != 1 || !strings.HasPrefix(term, again[0]) {
				t.Fatalf("term %q of %q re-read as %q", term, name, again)
			}
		}
		if ok, _ := matchesTerms([]byte(name), terms, nil); !ok && len(terms) > 0 {
			t.Fatalf("%q does not match its own terms %q", name, terms)
		}
		for _, w := range nameWords(name) {
			if st := stem(w); !strings.HasPrefix(w, st) || utf8.RuneCountInString(st) < min(minStem, utf8.RuneCountInString(w)) {
				t.Fatalf("stem(%q) = %q", w, st)
			}
		}
	})
}

// bruteSearch is SearchProducts' specification as a scan of every product (sorted by id; no barcodes).
func bruteSearch(all []pos.Product, query string, limit int) []string {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil
	}
	terms := queryTerms(query)
	var out []string
	for _, p := range all {
		if p.ID == query {
			out = append(out, p.ID)
		}
	}
	for _, p := range all {
		if len(out) == limit {
			break
		}
		byName := len(terms) > 0
		if byName {
			byName, _ = matchesTerms([]byte(p.Name), terms, nil)
		}
		if p.ID != query && (strings.HasPrefix(p.ID, query) || byName) {
			out = append(out, p.ID)
		}
	}
	return out
}

// The index and its leapfrog give what a scan of every name gives, through inserts, renames and
// deletions, for queries of narrow words, of broad prefixes (more than maxUnion words) and of both.
func TestSearchMatchesScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	vocab := []string{"Молоко", "молочный", "молочная", "Сок", "сыр", "Сыры", "вода", "водка", "ёжик", "1", "1,5", "930",
		"мл", "л", "Простоквашино", "простой"}
	for i := range maxUnion + 20 { // a family of words under «п» wider than maxUnion
		vocab = append(vocab, fmt.Sprintf("п%c%cа", 'а'+rune(i%32), 'а'+rune(i/32)))
	}
	name := func() string {
		var ws []string
		if rng.IntN(2) == 0 { // a word in half the names: many chunks, seeks across them
			ws = append(ws, "Товар")
		}
		for range 1 + rng.IntN(5) {
			ws = append(ws, vocab[rng.IntN(len(vocab))])
		}
		return strings.Join(ws, " ")
	}
	s := openTemp(t)
	byID := map[string]pos.Product{}
	for round := range 4 {
		var batch []pos.Product
		for range 800 {
			p := pos.Product{ID: fmt.Sprintf("%05d", rng.IntN(4000)), Name: name()}
			batch = append(batch, p)
			byID[p.ID] = p
		}
		if err := s.PutProducts(batch); err != nil {
			t.Fatal(err)
		}
		if round%2 == 1 {
			err := s.update(func(tx *bbolt.Tx) error {
				c, err := openCatalog(tx)
				if err != nil {
					return err
				}
				for range 200 {
					id := fmt.Sprintf("%05d", rng.IntN(4000))
					delete(byID, id)
					if err := c.remove(id); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	var all []pos.Product
	for _, p := range byID {
		all = append(all, p)
	}
	slices.SortFunc(all, func(a, b pos.Product) int { return strings.Compare(a.ID, b.ID) })
	queries := []string{"п", "п мол", "п п", "пб", "товар мол", "товар сыр 1", "тов п", "00", "01234", "м", "мол прост", "вод", "водки", "1 л", "мл 930"}
	for range 300 {
		var ws []string
		for range 1 + rng.IntN(3) {
			w := []rune(strings.ToLower(vocab[rng.IntN(len(vocab))]))
			ws = append(ws, string(w[:1+rng.IntN(len(w))]))
		}
		queries = append(queries, strings.Join(ws, " "))
	}
	for _, q := range queries {
		for _, limit := range []int{50, 100_000} {
			ps, err := s.SearchProducts(q, limit)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := productIDs(ps), bruteSearch(all, q, limit); !slices.Equal(got, want) {
				t.Fatalf("SearchProducts(%q, %d): %d results, the scan %d\n got %v\nwant %v", q, limit, len(got),
					len(want), got[:min(len(got), 10)], want[:min(len(want), 10)])
			}
		}
	}
	checkChunks(t, s)
}
