package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"math"

	"go.etcd.io/bbolt"
)

// bulkIndexes works out the barcode, PLU and name indexes of the products a bulk load writes, on two
// goroutines, while the writing one puts the products: bbolt takes the Puts of a transaction one at a
// time, but decoding the records, folding the names, sorting and encoding need no transaction. They read
// the staged entries marked put, which nothing changes meanwhile. The indexes come back ready to be put
// in key order: the barcodes first, the slower names after them.
type bulkIndexes struct {
	codes chan codesResult
	names chan *nameIndexBuilder
}

type codesResult struct {
	codes, plus *codeIndex
	err         error
}

func startBulkIndexes(last []staged, n int) *bulkIndexes {
	x := &bulkIndexes{codes: make(chan codesResult, 1), names: make(chan *nameIndexBuilder, 1)}
	go func() {
		r := codesResult{codes: newCodeIndex(n), plus: newCodeIndex(0)}
		for i := range last {
			if s := &last[i]; s.put && r.err == nil {
				r.err = r.addCodes(s)
			}
		}
		r.codes.sort()
		r.plus.sort()
		x.codes <- r
	}()
	go func() {
		b := newNameIndexBuilder(n)
		for i := range last {
			if s := &last[i]; s.put {
				name, _ := recordName(s.rec) // a record that does not decode fails in addCodes
				b.add(s.id, name)
			}
		}
		b.sort()
		x.names <- b
	}()
	return x
}

func (r *codesResult) addCodes(s *staged) error {
	plu, _, n, d := recordCodes(s.rec)
	if plu != nil {
		if err := r.plus.add(plu, s.id, s.seq); err != nil {
			return err
		}
	}
	for range n {
		if err := r.codes.add(d.bytes("barcode"), s.id, s.seq); err != nil {
			return err
		}
	}
	if d.err != nil {
		return fmt.Errorf("%s: %w", s.id, d.err)
	}
	return nil
}

// finishCodes waits for the barcode and PLU indexes; the names are still being sorted and encoded
// while the caller writes these.
func (x *bulkIndexes) finishCodes() (codes, plus *codeIndex, err error) {
	r := <-x.codes
	return r.codes, r.plus, r.err
}

// finishNames waits for the name index. Both must be called, also on an error path: the goroutines read
// the transaction's pages.
func (x *bulkIndexes) finishNames() *nameIndexBuilder { return <-x.names }

// codeIndex collects barcodes or PLUs with their article ids and seqs, copied into one arena: the index
// is written in code order, and reading codes and ids where they were staged would jump about the
// staging bucket's pages (and a million entries with slices would be a million pointers for the
// garbage collector). The highest seq owns a code claimed twice.
type codeIndex struct {
	arena []byte   // entries back to back: seq (8 bytes), uvarint code length, code, uvarint id length, id
	refs  []keyRef // each entry's key and offset; in code order after sort
}

func newCodeIndex(n int) *codeIndex {
	return &codeIndex{arena: make([]byte, 0, 32*n), refs: make([]keyRef, 0, n)}
}

func (x *codeIndex) add(code, id []byte, seq uint64) error {
	if len(x.arena) > math.MaxUint32-len(code)-len(id)-30 {
		return fmt.Errorf("%s: too many codes for one load", id)
	}
	x.refs = append(x.refs, keyRef{keyOf(code), uint32(len(x.arena))})
	x.arena = binary.BigEndian.AppendUint64(x.arena, seq)
	x.arena = binary.AppendUvarint(x.arena, uint64(len(code)))
	x.arena = append(x.arena, code...)
	x.arena = binary.AppendUvarint(x.arena, uint64(len(id)))
	x.arena = append(x.arena, id...)
	return nil
}

// entry reads the entry at offset at; code and id alias the arena.
func (x *codeIndex) entry(at uint32) (seq uint64, code, id []byte) {
	b := x.arena[at:]
	seq = binary.BigEndian.Uint64(b)
	l, n := binary.Uvarint(b[8:])
	b = b[8+n:]
	code, b = b[:l:l], b[l:]
	l, n = binary.Uvarint(b)
	return seq, code, b[n : n+int(l) : n+int(l)]
}

// sort puts the entries in code order, and those with the same code in seq order.
func (x *codeIndex) sort() {
	sortKeyRefs(x.refs)
	sortTies(x.refs, func(a, b uint32) int {
		sa, ca, _ := x.entry(a)
		sb, cb, _ := x.entry(b)
		if c := bytes.Compare(ca, cb); c != 0 {
			return c
		}
		return cmp.Compare(sa, sb)
	})
}

// put writes the sorted entries; of entries with the same code the last (highest seq) wins. bbolt keeps
// the ids (values) until the commit: they alias the arena, which is not appended to again.
func (x *codeIndex) put(ix *bbolt.Bucket) error {
	ix.FillPercent = bulkFill
	for i, r := range x.refs {
		_, code, id := x.entry(r.ref)
		if i+1 < len(x.refs) && x.refs[i+1].key == r.key {
			if _, next, _ := x.entry(x.refs[i+1].ref); bytes.Equal(next, code) {
				continue
			}
		}
		if err := ix.Put(code, id); err != nil {
			return fmt.Errorf("%s: index %q: %w", id, code, err)
		}
	}
	return nil
}
