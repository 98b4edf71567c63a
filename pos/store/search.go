package store

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/kassa-pos/kassa/pos"
	"go.etcd.io/bbolt"
)

// DefaultSearchLimit is used when SearchProducts is given a limit <= 0.
const DefaultSearchLimit = 50

// maxUnion is the most index words a query word is read through. A shorter prefix (a single letter, say)
// spans more words; its articles are then checked by reading their names instead, unless every query word
// is that broad, when the most specific one is read through all its words.
const maxUnion = 64

// SearchProducts finds up to limit products for a query typed at the till: first the article whose id,
// barcode or PLU equals the query, then, in article order, those whose article number starts with the
// query or whose name matches every word of it by the rules in searchfold.go (word prefixes in any order,
// ё read as е, case-insensitive, one Russian ending dropped from each query word).
//
// Names are found through the name index: each query word is a sorted stream of article ids (the union
// of the index words it begins), and the streams are intersected by leapfrogging, so the work follows the
// rarest word and stops at limit results; nothing is scanned in full.
func (s *Store) SearchProducts(query string, limit int) ([]pos.Product, error) {
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, nil
	}
	var out []pos.Product
	err := s.view(func(tx *bbolt.Tx) error {
		prods, err := bucket(tx, bktProducts)
		if err != nil {
			return err
		}
		ix, err := bucket(tx, bktNameWords)
		if err != nil {
			return err
		}
		exactID, err := exactMatch(tx, prods, query)
		if err != nil {
			return err
		}
		if exactID != nil {
			p, err := decodeProduct(prods.Get(exactID))
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		names := newNameMatch(ix, prods, queryTerms(query))
		ids := prods.Cursor()
		qkey := []byte(query) // an article number typed in part ("10002") lists the articles it starts
		byID, _ := ids.Seek(qkey)
		byName := names.next()
		for len(out) < limit {
			if byID != nil && !bytes.HasPrefix(byID, qkey) {
				byID = nil
			}
			var id []byte
			switch {
			case byID == nil && byName == nil:
				return names.err
			case byName == nil || byID != nil && bytes.Compare(byID, byName) <= 0:
				if bytes.Equal(byID, byName) {
					byName = names.next()
				}
				id = byID
				byID, _ = ids.Next()
			default:
				id, byName = byName, names.next()
			}
			if bytes.Equal(id, exactID) {
				continue
			}
			p, err := decodeProduct(prods.Get(id))
			if err != nil {
				return fmt.Errorf("%s: %w", id, err)
			}
			out = append(out, p)
		}
		return names.err
	})
	if err != nil {
		return nil, fmt.Errorf("store: search %q: %w", query, err)
	}
	return out, nil
}

// exactMatch returns the id of the article whose id, barcode or PLU is the query, or nil.
func exactMatch(tx *bbolt.Tx, prods *bbolt.Bucket, query string) ([]byte, error) {
	for _, name := range [][]byte{nil, bktBarcodes, bktPLU} {
		id := []byte(query)
		if name != nil {
			ix, err := bucket(tx, name)
			if err != nil {
				return nil, err
			}
			if id = ix.Get(id); id == nil {
				continue
			}
		}
		if prods.Get(id) != nil {
			return id, nil
		}
	}
	return nil, nil
}

// nameMatch yields, in ascending order, the ids of the articles whose names match every query term.
type nameMatch struct {
	narrow []*termStream // intersected through the index
	broad  []string      // checked against the name
	prods  *bbolt.Bucket
	last   []byte // the id returned last; the streams are past it at the next call
	buf    []byte
	err    error
}

func newNameMatch(ix, prods *bbolt.Bucket, terms []string) *nameMatch {
	m := &nameMatch{prods: prods}
	if len(terms) == 0 {
		return m
	}
	var broadest []string
	for _, t := range terms {
		words, complete := termWords(ix, t, maxUnion)
		switch {
		case len(words) == 0: // a word no name has: nothing matches
			m.narrow, m.broad = []*termStream{{}}, nil
			return m
		case complete:
			m.narrow = append(m.narrow, newTermStream(ix, words))
		default:
			broadest = append(broadest, t)
		}
	}
	if len(m.narrow) == 0 { // every term is broad: stream the most specific one
		i := 0
		for j, t := range broadest {
			if len(t) > len(broadest[i]) {
				i = j
			}
		}
		words, _ := termWords(ix, broadest[i], -1)
		m.narrow = append(m.narrow, newTermStream(ix, words))
		broadest = slices.Delete(broadest, i, i+1)
	}
	m.broad = broadest
	return m
}

// termWords lists the index words that begin with term; complete is false when there are more than max
// (max < 0: no limit).
func termWords(ix *bbolt.Bucket, term string, max int) (words [][]byte, complete bool) {
	c := ix.Cursor()
	t := []byte(term)
	for k, _ := c.Seek(t); k != nil && bytes.HasPrefix(k, t); {
		end := bytes.IndexByte(k, 0)
		if end < 0 {
			break // not an index key: the scan ends, SearchProducts reads no further
		}
		if max >= 0 && len(words) == max {
			return words, false
		}
		w := k[:end]
		words = append(words, w)
		k, _ = c.Seek(append(bytes.Clone(w), 1))
	}
	return words, true
}

// next returns the next matching id, or nil at the end (or on an error, kept in err).
func (m *nameMatch) next() []byte {
	if len(m.narrow) == 0 {
		return nil
	}
	lead := m.narrow[0]
	if m.last != nil {
		lead.next()
	}
	for {
		x := lead.cur
		if x == nil {
			return m.end()
		}
		agreed := true
		for _, t := range m.narrow[1:] {
			t.seekGE(x)
			if t.cur == nil {
				return m.end()
			}
			if bytes.Compare(t.cur, x) > 0 {
				lead.seekGE(t.cur)
				agreed = false
				break
			}
		}
		if !agreed {
			continue
		}
		if len(m.broad) > 0 {
			name, err := recordName(m.prods.Get(x))
			if err != nil {
				m.err = fmt.Errorf("%s: %w", x, err)
				return nil
			}
			var ok bool
			if ok, m.buf = matchesTerms(name, m.broad, m.buf); !ok {
				lead.next()
				continue
			}
		}
		m.last = x
		return x
	}
}

func (m *nameMatch) end() []byte {
	for _, t := range m.narrow {
		if m.err = t.error(); m.err != nil {
			break
		}
	}
	return nil
}

// termStream is the sorted union of the ids of several index words; cur is nil at the end.
type termStream struct {
	words []*wordStream
	cur   []byte
}

func newTermStream(ix *bbolt.Bucket, words [][]byte) *termStream {
	t := &termStream{}
	for _, w := range words {
		t.words = append(t.words, newWordStream(ix, w))
	}
	t.fix()
	return t
}

func (t *termStream) fix() {
	t.cur = nil
	for _, w := range t.words {
		if c := w.cur(); c != nil && (t.cur == nil || bytes.Compare(c, t.cur) < 0) {
			t.cur = c
		}
	}
}

func (t *termStream) next() {
	for _, w := range t.words {
		if c := w.cur(); c != nil && bytes.Equal(c, t.cur) {
			w.next()
		}
	}
	t.fix()
}

func (t *termStream) seekGE(x []byte) {
	if t.cur == nil || bytes.Compare(t.cur, x) >= 0 {
		return
	}
	for _, w := range t.words {
		w.seekGE(x)
	}
	t.fix()
}

func (t *termStream) error() error {
	for _, w := range t.words {
		if w.err != nil {
			return w.err
		}
	}
	return nil
}

// wordStream reads one index word's ids chunk by chunk; the ids alias the read transaction's pages.
type wordStream struct {
	c      *bbolt.Cursor
	word   []byte
	prefix []byte // word 0x00
	ids    [][]byte
	i      int
	err    error
}

func newWordStream(ix *bbolt.Bucket, word []byte) *wordStream {
	w := &wordStream{c: ix.Cursor(), word: word, prefix: chunkKey(word, nil)}
	w.load(w.c.Seek(w.prefix))
	return w
}

// load makes the chunk at k current (the end when k is not the word's).
func (w *wordStream) load(k, v []byte) {
	w.ids, w.i = w.ids[:0], 0
	if k == nil || !bytes.HasPrefix(k, w.prefix) || w.err != nil {
		return
	}
	w.ids, w.err = decodeChunk(w.ids, v)
}

func (w *wordStream) cur() []byte {
	if w.i < len(w.ids) {
		return w.ids[w.i]
	}
	return nil
}

func (w *wordStream) next() {
	if w.i >= len(w.ids) {
		return
	}
	if w.i++; w.i == len(w.ids) {
		w.load(w.c.Next())
	}
}

// seekGE moves to the first id >= x: within the chunk when it holds one, otherwise by a cursor seek.
func (w *wordStream) seekGE(x []byte) {
	if w.i >= len(w.ids) || bytes.Compare(w.ids[w.i], x) >= 0 {
		return
	}
	if bytes.Compare(w.ids[len(w.ids)-1], x) >= 0 {
		at, _ := slices.BinarySearchFunc(w.ids[w.i:], x, bytes.Compare)
		w.i += at
		return
	}
	// Dense words are walked forward: the next chunk, when it reaches x, spares a seek from the root.
	if k, v := w.c.Next(); k != nil && bytes.HasPrefix(k, w.prefix) {
		if w.load(k, v); len(w.ids) > 0 && bytes.Compare(w.ids[len(w.ids)-1], x) >= 0 {
			w.i, _ = slices.BinarySearchFunc(w.ids, x, bytes.Compare)
			return
		}
	}
	target := chunkKey(w.word, x)
	k, v := w.c.Seek(target)
	if k == nil || !bytes.Equal(k, target) {
		var pk, pv []byte
		if k == nil {
			pk, pv = w.c.Last()
		} else {
			pk, pv = w.c.Prev()
		}
		if pk != nil && bytes.HasPrefix(pk, w.prefix) {
			w.load(pk, pv)
			if n := len(w.ids); n > 0 && bytes.Compare(w.ids[n-1], x) >= 0 {
				w.i, _ = slices.BinarySearchFunc(w.ids, x, bytes.Compare)
				return
			}
		}
		k, v = w.c.Seek(target)
	}
	w.load(k, v)
}
