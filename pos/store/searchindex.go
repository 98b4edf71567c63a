package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"
)

// The name index (schema 4) maps every folded word of a product name to the articles whose name has it.
// Each word's article ids are kept sorted in chunks of up to maxChunk ids, so a million products with
// seven words each take about 70,000 keys instead of seven million, a word's articles are read a chunk
// at a time, and the first pull writes it in one ordered pass:
//
//	name_words   folded word 0x00 first article id of the chunk -> the chunk's ids, each uvarint length + bytes
var bktNameWords = []byte("name_words")

// maxChunk is the most ids a chunk holds; a fuller one is split in two.
const maxChunk = 128

func chunkKey(word, id []byte) []byte {
	k := make([]byte, 0, len(word)+1+len(id))
	k = append(append(append(k, word...), 0), id...)
	return k
}

// decodeChunk appends the ids of a chunk to ids; they alias v.
func decodeChunk(ids [][]byte, v []byte) ([][]byte, error) {
	for len(v) > 0 {
		l, n := binary.Uvarint(v)
		if n <= 0 || l > uint64(len(v)-n) {
			return ids, fmt.Errorf("%w: name index chunk", ErrCorrupt)
		}
		ids = append(ids, v[n:n+int(l)])
		v = v[n+int(l):]
	}
	return ids, nil
}

func encodeChunk(ids [][]byte) []byte {
	n := 0
	for _, id := range ids {
		n += binary.MaxVarintLen16 + len(id)
	}
	b := make([]byte, 0, n)
	for _, id := range ids {
		b = binary.AppendUvarint(b, uint64(len(id)))
		b = append(b, id...)
	}
	return b
}

// chunkAt finds the chunk of word that holds id or would hold it: the chunk with the greatest first id
// <= id. It returns nil when every chunk of the word starts after id (or the word has none), and then
// next is the word's first chunk key (nil if none).
func chunkAt(c *bbolt.Cursor, word, id []byte) (key, val, next []byte) {
	prefix := chunkKey(word, nil)
	target := chunkKey(word, id)
	k, v := c.Seek(target)
	if k != nil && bytes.Equal(k, target) {
		return k, v, nil
	}
	if k != nil && bytes.HasPrefix(k, prefix) {
		next = k
	}
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k != nil && bytes.HasPrefix(k, prefix) {
		return k, v, next
	}
	return nil, nil, next
}

// indexWord adds id to the word's ids.
func indexWord(ix *bbolt.Bucket, word, id []byte) error {
	c := ix.Cursor()
	k, v, next := chunkAt(c, word, id)
	if k == nil {
		if next != nil { // id comes before the word's first chunk: it becomes that chunk's first id
			nv := ix.Get(next)
			if n, err := decodeChunk(nil, nv); err == nil && len(n) < maxChunk {
				val := append(encodeChunk([][]byte{id}), nv...)
				if err := ix.Delete(bytes.Clone(next)); err != nil {
					return err
				}
				return ix.Put(chunkKey(word, id), val)
			}
		}
		return ix.Put(chunkKey(word, id), encodeChunk([][]byte{id}))
	}
	ids, err := decodeChunk(nil, v)
	if err != nil {
		return err
	}
	at, found := slices.BinarySearchFunc(ids, id, bytes.Compare)
	if found {
		return nil
	}
	ids = slices.Insert(ids, at, id)
	key := bytes.Clone(k)
	if len(ids) <= maxChunk {
		return ix.Put(key, encodeChunk(ids))
	}
	half := len(ids) / 2
	lo, hi := encodeChunk(ids[:half]), encodeChunk(ids[half:])
	if err := ix.Put(chunkKey(word, ids[half]), hi); err != nil {
		return err
	}
	return ix.Put(key, lo)
}

// unindexWord removes id from the word's ids; an id that is not there is no error.
func unindexWord(ix *bbolt.Bucket, word, id []byte) error {
	k, v, _ := chunkAt(ix.Cursor(), word, id)
	if k == nil {
		return nil
	}
	ids, err := decodeChunk(nil, v)
	if err != nil {
		return err
	}
	at, found := slices.BinarySearchFunc(ids, id, bytes.Compare)
	if !found {
		return nil
	}
	ids = slices.Delete(ids, at, at+1)
	val := encodeChunk(ids) // copies the ids out of the page before it changes
	key := bytes.Clone(k)
	if at > 0 {
		return ix.Put(key, val)
	}
	if err := ix.Delete(key); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	l, n := binary.Uvarint(val)
	return ix.Put(chunkKey(word, val[n:n+int(l)]), val)
}

// reindexName moves id from the words of the old name to those of the new one.
func reindexName(ix *bbolt.Bucket, id []byte, oldName, newName string) error {
	if oldName == newName {
		return nil
	}
	oldWords, newWords := nameWords(oldName), nameWords(newName)
	for _, w := range oldWords {
		if !slices.Contains(newWords, w) {
			if err := unindexWord(ix, []byte(w), id); err != nil {
				return fmt.Errorf("%s: unindex %q: %w", id, w, err)
			}
		}
	}
	for _, w := range newWords {
		if !slices.Contains(oldWords, w) {
			if err := indexWord(ix, []byte(w), id); err != nil {
				return fmt.Errorf("%s: index %q: %w", id, w, err)
			}
		}
	}
	return nil
}

// nameIndexBuilder collects the words of products added in article order and writes the index in one
// ordered pass. It holds no pointer per word or per pair (the garbage collector does not scan a million
// of them): the (word, article) pairs are flat numbers, the words are back to back in an arena, found by
// their FNV-1a hash; a counting sort groups the pairs by word keeping each word's articles in order.
type nameIndexBuilder struct {
	ids    [][]byte          // article ids in the order added (ascending), aliasing the transaction
	hashes map[uint64]uint32 // FNV-1a of a word -> its number
	clash  map[string]uint32 // the rare word whose hash an earlier word has
	arena  []byte            // the words back to back: word w is arena[ends[w]-len : ends[w]]
	ends   []uint32
	pairs  []uint64 // word number << 32 | position in ids, in the order added
	buf    []byte
	// After sort: the positions grouped by word (word w's are flat[start[w]:start[w+1]]) and the word
	// numbers in word order.
	flat, start, order []uint32
}

func newNameIndexBuilder(n int) *nameIndexBuilder {
	return &nameIndexBuilder{ids: make([][]byte, 0, n), hashes: make(map[uint64]uint32),
		clash: make(map[string]uint32), pairs: make([]uint64, 0, 6*n)}
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
	wi, ok := b.hashes[h]
	if ok && bytes.Equal(b.word(wi), w) {
		return wi
	}
	if ok {
		if wi, ok := b.clash[string(w)]; ok {
			return wi
		}
	}
	wi = uint32(len(b.ends))
	b.arena = append(b.arena, w...)
	b.ends = append(b.ends, uint32(len(b.arena)))
	if ok {
		b.clash[string(w)] = wi
	} else {
		b.hashes[h] = wi
	}
	return wi
}

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
	pos := uint64(len(b.ids))
	b.ids = append(b.ids, id)
	start := len(b.pairs)
	b.buf = eachWord(name, b.buf, func(w []byte) {
		pair := uint64(b.number(w))<<32 | pos
		if !slices.Contains(b.pairs[start:], pair) {
			b.pairs = append(b.pairs, pair)
		}
	})
}

// sorted groups the pairs by word, in word order, by a stable counting sort: each word's positions stay
// ascending. It is the CPU-bound part of write and needs no transaction.
func (b *nameIndexBuilder) sort() {
	if b.order != nil || len(b.ends) == 0 {
		return
	}
	b.start = make([]uint32, len(b.ends)+1)
	for _, p := range b.pairs {
		b.start[p>>32+1]++
	}
	for i := 1; i < len(b.start); i++ {
		b.start[i] += b.start[i-1]
	}
	next := slices.Clone(b.start[:len(b.ends)])
	b.flat = make([]uint32, len(b.pairs))
	for _, p := range b.pairs {
		w := p >> 32
		b.flat[next[w]] = uint32(p)
		next[w]++
	}
	b.pairs = nil
	b.order = make([]uint32, len(b.ends))
	for i := range b.order {
		b.order[i] = uint32(i)
	}
	slices.SortFunc(b.order, func(x, y uint32) int { return bytes.Compare(b.word(x), b.word(y)) })
}

// write puts the collected words into ix, in word order. A word the index has already (a product
// upserted while a bulk load ran) is merged id by id.
func (b *nameIndexBuilder) write(ix *bbolt.Bucket) error {
	b.sort()
	k, _ := ix.Cursor().First()
	merge := k != nil
	ix.FillPercent = bulkFill
	chunk := make([][]byte, 0, maxChunk)
	var key []byte // bbolt copies a key it stores, so one buffer serves every Put
	for _, wi := range b.order {
		list := b.flat[b.start[wi]:b.start[wi+1]]
		word := b.word(wi)
		if merge {
			if k, _ := ix.Cursor().Seek(chunkKey(word, nil)); k != nil && bytes.HasPrefix(k, chunkKey(word, nil)) {
				for _, p := range list {
					if err := indexWord(ix, word, b.ids[p]); err != nil {
						return fmt.Errorf("index %q: %w", word, err)
					}
				}
				continue
			}
		}
		for len(list) > 0 {
			n := min(len(list), maxChunk*3/4) // room for later inserts before a split
			chunk = chunk[:0]
			for _, p := range list[:n] {
				chunk = append(chunk, b.ids[p])
			}
			key = append(append(append(key[:0], word...), 0), chunk[0]...)
			if err := ix.Put(key, encodeChunk(chunk)); err != nil {
				return fmt.Errorf("index %q: %w", word, err)
			}
			list = list[n:]
		}
	}
	return nil
}

// asyncNames feeds a nameIndexBuilder on another goroutine: the bulk load folds a million names and
// sorts their words on the second core while this one writes the products and the barcode index.
type asyncNames struct {
	batch   []namedRecord
	batches chan []namedRecord
	done    chan *nameIndexBuilder
}

type namedRecord struct{ id, name []byte }

func startNames(n int) *asyncNames {
	a := &asyncNames{batches: make(chan []namedRecord, 4), done: make(chan *nameIndexBuilder, 1)}
	go func() {
		b := newNameIndexBuilder(n)
		for batch := range a.batches {
			for _, r := range batch {
				b.add(r.id, r.name)
			}
		}
		b.sort()
		a.done <- b
	}()
	return a
}

// add queues a product (in article order); id and name must stay valid until finish.
func (a *asyncNames) add(id, name []byte) {
	a.batch = append(a.batch, namedRecord{id, name})
	if len(a.batch) == 4096 {
		a.batches <- a.batch
		a.batch = nil
	}
}

// finish waits for the builder; it must be called once, also on an error path (the goroutine ends).
func (a *asyncNames) finish() *nameIndexBuilder {
	if len(a.batch) > 0 {
		a.batches <- a.batch
	}
	close(a.batches)
	return <-a.done
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
