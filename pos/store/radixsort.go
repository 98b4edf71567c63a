package store

import (
	"cmp"
	"slices"
)

// keyRef is the sort key of an item (the first 16 bytes of its key, see keyOf) and the item's number. The
// bulk load sorts a million barcodes and a million name words by these compact, pointer-free pairs
// instead of comparing the keys' bytes scattered over the staged pages.
type keyRef struct {
	key sortKey
	ref uint32
}

// sortKeyRefs sorts refs by key, stably, by a least-significant-digit radix sort over the key's 16 bytes:
// one pass counts every byte position and a position where all keys have the same byte (the zero padding
// of short keys, a shared country prefix) costs no pass. Items whose keys tie are left in their original
// order for the caller to order by their whole key (see sortTies).
func sortKeyRefs(refs []keyRef) {
	if len(refs) < 64 {
		slices.SortStableFunc(refs, func(a, b keyRef) int {
			if c := cmp.Compare(a.key[0], b.key[0]); c != 0 {
				return c
			}
			return cmp.Compare(a.key[1], b.key[1])
		})
		return
	}
	var counts [16][256]uint32
	for _, r := range refs {
		for d := range 8 {
			counts[d][byte(r.key[0]>>(56-8*d))]++
			counts[8+d][byte(r.key[1]>>(56-8*d))]++
		}
	}
	n := uint32(len(refs))
	var tmp []keyRef
	src := refs
	for d := 15; d >= 0; d-- {
		c := &counts[d]
		if c[keyByte(src[0].key, d)] == n {
			continue // every key has this byte
		}
		if tmp == nil {
			tmp = make([]keyRef, len(refs))
		}
		dst := tmp
		if &src[0] == &tmp[0] {
			dst = refs
		}
		var at [256]uint32
		sum := uint32(0)
		for b := range 256 {
			at[b], sum = sum, sum+c[b]
		}
		for _, r := range src {
			b := keyByte(r.key, d)
			dst[at[b]] = r
			at[b]++
		}
		src = dst
	}
	if &src[0] != &refs[0] {
		copy(refs, src)
	}
}

// keyByte is byte d (0 the most significant) of a sort key.
func keyByte(k sortKey, d int) byte {
	if d < 8 {
		return byte(k[0] >> (56 - 8*d))
	}
	return byte(k[1] >> (56 - 8*(d-8)))
}

// sortTies orders each run of refs with equal keys by cmpRefs (their whole keys, then whatever else
// decides): the radix sort only saw the first 16 bytes.
func sortTies(refs []keyRef, cmpRefs func(a, b uint32) int) {
	for i := 0; i < len(refs); {
		j := i + 1
		for j < len(refs) && refs[j].key == refs[i].key {
			j++
		}
		if j-i > 1 {
			slices.SortStableFunc(refs[i:j], func(a, b keyRef) int { return cmpRefs(a.ref, b.ref) })
		}
		i = j
	}
}
