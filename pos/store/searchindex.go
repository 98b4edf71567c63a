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
