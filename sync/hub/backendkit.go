package hub

import (
	"github.com/kassa-pos/kassa/sync/wire"
)

// The rules every Backend applies the same way, exported so that a storage outside this package (the
// PostgreSQL one in sync/hub/pgstore) keeps the bbolt Storage's behaviour exactly.

// MaxIDLen is the longest event, item or order id the hub stores.
const MaxIDLen = maxIDLen

// ValidName reports whether a store or terminal name is acceptable: 1 to 128 bytes, no control
// characters, no surrounding spaces.
func ValidName(n string) bool { return validName(n) }

// NoteSeq applies the sequence rule of Append to a terminal whose highest seq so far is last: it returns
// the new highest seq and the discontinuity a new event of seq makes, if any (known: the id was refused
// before and is being sent again).
func NoteSeq(last, seq uint64, known bool) (uint64, *wire.SeqGap) {
	st := termState{LastSeq: last}
	var res AppendResult
	noteSeq(&st, &res, seq, known)
	if len(res.Gaps) == 0 {
		return st.LastSeq, nil
	}
	return st.LastSeq, &res.Gaps[0]
}

// JSONReason is how a refused event's reason describes a JSON decoding error.
func JSONReason(err error) string { return jsonReason(err) }

// SamePickupOrder reports whether two orders hold the same goods for the same customer, ignoring the
// times and the status a repeated request may differ in.
func SamePickupOrder(a, b wire.PickupOrder) bool { return sameOrder(a, b) }
