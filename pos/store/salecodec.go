package store

import (
	"bytes"
	"encoding/binary"
	"math"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

// saleFormat is the first byte of every journal record (schema 2 on). Schema 1 stored JSON, which starts
// with '{' and is re-encoded by the migration to schema 2. Format 2 added the card approval code to each
// payment; format 3 appended the receipt kind, the refunded sale, the buyer's contact and the lines'
// marking codes; format 4 the loyalty customer with the points redeemed and earned; format 5 the personal
// offers applied; format 6 the lines' offer texts. Older formats are still read.
const (
	saleFormat   = 6
	saleFormatV5 = 5
	saleFormatV4 = 4
	saleFormatV3 = 3
	saleFormatV2 = 2
	saleFormatV1 = 1
)

// encodeSale writes a sale as: format byte, then every field in declaration order; strings and times are a
// uvarint length then bytes (a time is time.AppendBinary, zero time has length 0), integers are varints,
// enums one byte, slices a uvarint count then their elements, Fiscal a presence byte then its fields.
// A 10-line sale takes ~0.8 KB instead of ~2.7 KB of JSON, so several fit one bbolt page and a commit
// writes fewer pages; decoding needs no reflection.
func encodeSale(s pos.Sale) []byte {
	b := make([]byte, 0, 128+len(s.Lines)*96)
	b = append(b, saleFormat)
	b = appendString(b, s.ID)
	b = appendString(b, s.Terminal)
	b = appendString(b, s.Cashier)
	b = binary.AppendVarint(b, int64(s.Shift))
	b = appendTime(b, s.CreatedAt)
	b = binary.AppendUvarint(b, uint64(len(s.Lines)))
	for _, l := range s.Lines {
		b = appendString(b, l.ProductID)
		b = appendString(b, l.Name)
		b = appendString(b, l.Barcode)
		b = binary.AppendVarint(b, int64(l.Price))
		b = binary.AppendVarint(b, int64(l.Qty))
		b = append(b, byte(l.Unit), byte(l.VAT))
		b = binary.AppendVarint(b, int64(l.Discount))
		b = binary.AppendVarint(b, int64(l.Sum))
		b = appendBool(b, l.Cancelled)
		b = appendTime(b, l.CancelledAt)
	}
	b = binary.AppendVarint(b, int64(s.Total))
	b = binary.AppendUvarint(b, uint64(len(s.VAT)))
	for _, v := range s.VAT {
		b = append(b, byte(v.Rate))
		b = binary.AppendVarint(b, int64(v.Base))
		b = binary.AppendVarint(b, int64(v.Tax))
	}
	b = binary.AppendUvarint(b, uint64(len(s.Payments)))
	for _, p := range s.Payments {
		b = appendString(b, string(p.Method))
		b = binary.AppendVarint(b, int64(p.Amount))
		b = appendString(b, p.Approval)
	}
	b = binary.AppendVarint(b, int64(s.Change))
	b = appendString(b, string(s.Status))
	b = binary.AppendUvarint(b, uint64(s.FDBefore))
	b = appendBool(b, s.Fiscal != nil)
	if f := s.Fiscal; f != nil {
		b = binary.AppendUvarint(b, uint64(f.FDNumber))
		b = binary.AppendUvarint(b, uint64(f.FiscalSign))
		b = appendString(b, f.FNSerial)
		b = appendTime(b, f.At)
		b = binary.AppendVarint(b, int64(f.Shift))
	}
	b = appendString(b, s.Note)
	b = appendString(b, string(s.Kind))
	b = appendString(b, s.RefundOf)
	b = appendString(b, s.Buyer)
	for _, l := range s.Lines {
		b = appendString(b, l.Marking)
	}
	b = appendString(b, s.Loyalty.Customer)
	b = binary.AppendVarint(b, int64(s.Loyalty.Redeemed))
	b = binary.AppendVarint(b, int64(s.Loyalty.Earned))
	b = binary.AppendUvarint(b, uint64(len(s.Offers)))
	for _, o := range s.Offers {
		b = appendString(b, o.ID)
		b = binary.AppendVarint(b, int64(o.Discount))
	}
	for _, l := range s.Lines {
		b = appendString(b, l.Offer)
	}
	return b
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	n := len(b)
	b = append(b, 0) // length placeholder: a binary time is 15 or 16 bytes, one uvarint byte
	b, err := t.AppendBinary(b)
	if err != nil { // only for a zone offset that is not whole minutes; keep the instant in UTC
		b, _ = t.UTC().AppendBinary(b[:n+1])
	}
	b[n] = byte(len(b) - n - 1)
	return b
}

func (d *decoder) varint(what string) int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail(what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) uint32(what string) uint32 {
	v := d.uvarint(what)
	if v > math.MaxUint32 {
		d.fail(what)
		return 0
	}
	return uint32(v)
}

func (d *decoder) byte(what string) byte {
	if len(d.b) == 0 {
		d.fail(what)
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) bool(what string) bool {
	switch d.byte(what) {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail(what)
	return false
}

// Layout of time.AppendBinary: version, seconds int64, nanoseconds int32, offset minutes int16 (-1 is
// UTC), and in version 2 the offset's seconds as a signed byte (for zones such as LMT).
const (
	timeBinaryV2   = 2
	timeNsecAt     = 9
	timeOffsetAt   = 13
	timeOffsetSecs = 15
)

// time reads what appendTime wrote and accepts only a time that appendTime writes back byte for byte,
// so a record decodes to the sale it was encoded from. time.UnmarshalBinary alone is not enough: it takes
// nanoseconds outside [0, 1e9) into the clock's seconds bits, which AppendBinary then drops, and it reads
// the version-2 offset seconds unsigned though AppendBinary writes them signed (golang/go#78528), so a
// zone west of UTC with a sub-minute offset came back with another offset.
func (d *decoder) time(what string) time.Time {
	raw := d.bytes(what)
	if len(raw) == 0 || d.err != nil {
		return time.Time{}
	}
	var t time.Time
	if err := t.UnmarshalBinary(raw); err != nil {
		d.fail(what)
		return time.Time{}
	}
	if nsec := int32(binary.BigEndian.Uint32(raw[timeNsecAt:])); nsec < 0 || nsec >= 1e9 {
		d.fail(what)
		return time.Time{}
	}
	if raw[0] == timeBinaryV2 {
		offset := int(int16(binary.BigEndian.Uint16(raw[timeOffsetAt:])))*60 + int(int8(raw[timeOffsetSecs]))
		loc := time.FixedZone("", offset)
		if _, local := t.In(time.Local).Zone(); local == offset {
			loc = time.Local // as UnmarshalBinary does for the machine's own zone
		}
		t = t.In(loc)
	}
	// The encoder writes the zero instant as an empty field, and never an offset AppendBinary refuses.
	if again, err := t.AppendBinary(nil); err != nil || t.IsZero() || !bytes.Equal(again, raw) {
		d.fail(what)
		return time.Time{}
	}
	return t
}

// count reads a slice length and checks it against the bytes left (each element takes at least min).
func (d *decoder) count(what string, min int) int {
	n := d.uvarint(what)
	if n > uint64(len(d.b)/min) {
		d.fail(what)
		return 0
	}
	return int(n)
}

func decodeSale(rec []byte) (pos.Sale, error) {
	d := decoder{b: rec, kind: "sale record"}
	format := d.byte("format")
	if format < saleFormatV1 || format > saleFormat {
		d.fail("format")
	}
	var s pos.Sale
	s.ID = string(d.bytes("id"))
	s.Terminal = string(d.bytes("terminal"))
	s.Cashier = string(d.bytes("cashier"))
	s.Shift = int(d.varint("shift"))
	s.CreatedAt = d.time("created")
	if n := d.count("line count", 11); n > 0 { // three strings, four numbers, two enum bytes, a flag, a time
		s.Lines = make([]pos.Line, n)
		for i := range s.Lines {
			l := &s.Lines[i]
			l.ProductID = string(d.bytes("product id"))
			l.Name = string(d.bytes("name"))
			l.Barcode = string(d.bytes("barcode"))
			l.Price = pos.Money(d.varint("price"))
			l.Qty = pos.Qty(d.varint("qty"))
			l.Unit, l.VAT = pos.Unit(d.byte("unit")), pos.VATRate(d.byte("vat"))
			l.Discount = pos.Money(d.varint("discount"))
			l.Sum = pos.Money(d.varint("sum"))
			l.Cancelled = d.bool("cancelled")
			l.CancelledAt = d.time("cancelled at")
		}
	}
	s.Total = pos.Money(d.varint("total"))
	if n := d.count("vat count", 3); n > 0 {
		s.VAT = make([]pos.VATAmount, n)
		for i := range s.VAT {
			s.VAT[i] = pos.VATAmount{Rate: pos.VATRate(d.byte("vat rate")), Base: pos.Money(d.varint("vat base")),
				Tax: pos.Money(d.varint("vat tax"))}
		}
	}
	if n := d.count("payment count", 2); n > 0 {
		s.Payments = make([]pos.Payment, n)
		for i := range s.Payments {
			s.Payments[i] = pos.Payment{Method: pos.PaymentMethod(d.bytes("payment method")),
				Amount: pos.Money(d.varint("payment amount"))}
			if format >= saleFormatV2 {
				s.Payments[i].Approval = string(d.bytes("payment approval"))
			}
		}
	}
	s.Change = pos.Money(d.varint("change"))
	s.Status = pos.SaleStatus(d.bytes("status"))
	s.FDBefore = d.uint32("fd before")
	if d.bool("fiscal") {
		f := pos.FiscalResult{FDNumber: d.uint32("fd number"), FiscalSign: d.uint32("fiscal sign"),
			FNSerial: string(d.bytes("fn serial")), At: d.time("fiscal at"), Shift: int(d.varint("fiscal shift"))}
		s.Fiscal = &f
	}
	s.Note = string(d.bytes("note"))
	if format >= saleFormatV3 {
		s.Kind = pos.SaleKind(d.bytes("kind"))
		s.RefundOf = string(d.bytes("refund of"))
		s.Buyer = string(d.bytes("buyer"))
		for i := range s.Lines {
			s.Lines[i].Marking = string(d.bytes("marking"))
		}
	}
	if format >= saleFormatV4 {
		s.Loyalty.Customer = string(d.bytes("loyalty customer"))
		s.Loyalty.Redeemed = pos.Money(d.varint("points redeemed"))
		s.Loyalty.Earned = pos.Money(d.varint("points earned"))
	}
	if format >= saleFormatV5 {
		if n := d.count("offer count", 2); n > 0 {
			s.Offers = make([]pos.SaleOffer, n)
			for i := range s.Offers {
				s.Offers[i] = pos.SaleOffer{ID: string(d.bytes("offer id")), Discount: pos.Money(d.varint("offer discount"))}
			}
		}
	}
	if format >= saleFormat {
		for i := range s.Lines {
			s.Lines[i].Offer = string(d.bytes("line offer"))
		}
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail("tail")
	}
	if d.err != nil {
		return pos.Sale{}, d.err
	}
	return s, nil
}
