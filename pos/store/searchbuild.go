package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"
)

// nameIndexBuilder collects the words of products added in article order and writes the index in one
// ordered pass. It holds no pointer per article, word, pair or chunk (the garbage collector does not scan a
// million of them): the (word, article) pairs are flat numbers, the words are back to back in an arena,
// found through an open-addressing table of their FNV-1a hashes, and sort groups the pairs by word
// (a counting sort, keeping each word's articles ascending), orders the words (a radix sort of their
// first 16 bytes) and encodes every chunk's value into one buffer, off the writing goroutine's path:
// write then only puts keys and values in key order.
type nameIndexBuilder struct {
	ids    []byte // article ids in the order added (ascending), back to back: id i is ids[idEnds[i-1]:idEnds[i]]
	idEnds []uint32
	slots  []uint64 // hash table: the upper 32 bits of a word's hash << 32 | its number + 1; 0 is free
	arena  []byte   // the words back to back: word w is arena[ends[w-1]:ends[w]]
	ends   []uint32
	pairs  []uint64 // word number << 32 | position in ids, in the order added
	size   int      // the bytes the encoded chunks will take
	buf    []byte
	// After sort: the chunks in key order, their values back to back in vals.
	chunks []nameChunk
	vals   []byte
	sorted bool
}

// nameChunk is a chunk of a word's ids: its word, the position of its first id and where its value ends.
type nameChunk struct{ word, first, end uint32 }

func newNameIndexBuilder(n int) *nameIndexBuilder {
	slots := 1024
	for slots < 2*n {
		slots *= 2
	}
	return &nameIndexBuilder{idEnds: make([]uint32, 0, n), slots: make([]uint64, slots),
		pairs: make([]uint64, 0, 5*n)}
}

func (b *nameIndexBuilder) id(p uint32) []byte {
	var lo uint32
	if p > 0 {
		lo = b.idEnds[p-1]
	}
	return b.ids[lo:b.idEnds[p]]
}

func (b *nameIndexBuilder) word(w uint32) []byte {
	var lo uint32
	if w > 0 {
		lo = b.ends[w-1]
	}
	return b.arena[lo:b.ends[w]]
}

// number returns the word's number, giving a new word the next one.
func (b *nameIndexBuilder) number(w []byte) uint32 {
	h := wordHash(w)
	mask := uint64(len(b.slots) - 1)
	for i := slot(h, mask); ; i = (i + 1) & mask {
		s := b.slots[i]
		if s == 0 {
			break
		}
		if s>>32 == h>>32 && bytes.Equal(b.word(uint32(s)-1), w) {
			return uint32(s) - 1
		}
	}
	wi := uint32(len(b.ends))
	b.arena = append(b.arena, w...)
	b.ends = append(b.ends, uint32(len(b.arena)))
	if 4*len(b.ends) > 3*len(b.slots) {
		b.slots = make([]uint64, 2*len(b.slots))
		for x := range uint32(len(b.ends)) {
			b.insert(wordHash(b.word(x)), x)
		}
	} else {
		b.insert(h, wi)
	}
	return wi
}

func (b *nameIndexBuilder) insert(h uint64, w uint32) {
	mask := uint64(len(b.slots) - 1)
	i := slot(h, mask)
	for b.slots[i] != 0 {
		i = (i + 1) & mask
	}
	b.slots[i] = h>>32<<32 | uint64(w+1)
}

// slot is a hash's home in a table of mask+1 slots; the upper bits are folded in, FNV's lower bits alone
// depend only on the lower bits of the bytes.
func slot(h, mask uint64) uint64 { return (h ^ h>>29) & mask }

// wordHash is FNV-1a.
func wordHash(w []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range w {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

// add records the words of a product; ids must come in ascending order.
func (b *nameIndexBuilder) add(id, name []byte) {
	pos := uint64(len(b.idEnds))
	b.ids = append(b.ids, id...)
	b.idEnds = append(b.idEnds, uint32(len(b.ids)))
	start := len(b.pairs)
	b.buf = eachWord(name, b.buf, func(w []byte) {
		pair := uint64(b.number(w))<<32 | pos
		if !slices.Contains(b.pairs[start:], pair) {
			b.pairs = append(b.pairs, pair)
		}
	})
	b.size += (len(b.pairs) - start) * (uvarintLen(len(id)) + len(id))
}

func uvarintLen(n int) int {
	l := 1
	for ; n >= 0x80; n >>= 7 {
		l++
	}
	return l
}

// sort prepares write: the CPU-bound part, which needs no transaction.
func (b *nameIndexBuilder) sort() {
	if b.sorted {
		return
	}
	b.sorted = true
	b.slots = nil
	words := uint32(len(b.ends))
	// Group the positions by word with a stable counting sort: word w's are flat[start[w]:start[w+1]].
	start := make([]uint32, words+2)
	for _, p := range b.pairs {
		start[p>>32+2]++
	}
	for i := 2; i < len(start); i++ {
		start[i] += start[i-1]
	}
	flat := make([]uint32, len(b.pairs))
	for _, p := range b.pairs {
		w := p>>32 + 1
		flat[start[w]] = uint32(p)
		start[w]++
	}
	b.pairs = nil
	// The words in byte order (bbolt's key order: a word never holds the 0x00 after it in the key).
	refs := make([]keyRef, words)
	for w := range words {
		refs[w] = keyRef{keyOf(b.word(w)), w}
	}
	sortKeyRefs(refs)
	sortTies(refs, func(x, y uint32) int { return bytes.Compare(b.word(x), b.word(y)) })
	b.vals = make([]byte, 0, b.size)
	for _, r := range refs {
		list := flat[start[r.ref]:start[r.ref+1]]
		for len(list) > 0 {
			n := min(len(list), maxChunk*3/4) // room for later inserts before a split
			for _, p := range list[:n] {
				id := b.id(p)
				b.vals = binary.AppendUvarint(b.vals, uint64(len(id)))
				b.vals = append(b.vals, id...)
			}
			b.chunks = append(b.chunks, nameChunk{r.ref, list[0], uint32(len(b.vals))})
			list = list[n:]
		}
	}
}

// write puts the collected words into ix, in key order. A word the index has already (a product
// upserted while a bulk load ran) is merged id by id.
func (b *nameIndexBuilder) write(ix *bbolt.Bucket) error {
	b.sort()
	k, _ := ix.Cursor().First()
	merge := k != nil
	ix.FillPercent = bulkFill
	var key []byte // bbolt copies a key it stores, so one buffer serves every Put
	var from uint32
	decided, merging := ^uint32(0), false
	for _, ch := range b.chunks {
		word, val := b.word(ch.word), b.vals[from:ch.end:ch.end] // bbolt keeps val until the commit
		from = ch.end
		if merge && ch.word != decided {
			prefix := chunkKey(word, nil)
			k, _ := ix.Cursor().Seek(prefix)
			decided, merging = ch.word, k != nil && bytes.HasPrefix(k, prefix)
		}
		if merge && merging {
			ids, err := decodeChunk(nil, val)
			if err != nil {
				return err
			}
			for _, id := range ids {
				if err := indexWord(ix, word, id); err != nil {
					return fmt.Errorf("index %q: %w", word, err)
				}
			}
			continue
		}
		key = append(append(append(key[:0], word...), 0), b.id(ch.first)...)
		if err := ix.Put(key, val); err != nil {
			return fmt.Errorf("index %q: %w", word, err)
		}
	}
	return nil
}

// buildNameIndex is schema 4: the name index of the products a database has already.
func buildNameIndex(tx *bbolt.Tx) error {
	ix, err := tx.CreateBucketIfNotExists(bktNameWords)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", bktNameWords, err)
	}
	prods, err := bucket(tx, bktProducts)
	if err != nil {
		return err
	}
	b := newNameIndexBuilder(0)
	c := prods.Cursor()
	for k, rec := c.First(); k != nil; k, rec = c.Next() {
		name, err := recordName(rec)
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		b.add(k, name)
	}
	return b.write(ix)
}
