package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"go.etcd.io/bbolt"
)

func saleCodecCases() []pos.Sale {
	fiscal := testFiscal
	local := testSale("local-zone", 3)
	local.CreatedAt = time.Date(2026, 3, 2, 17, 5, 0, 123, time.FixedZone("MSK", 3*3600))
	done := testSale("0195a1b2-0000-7000-8000-000000000009", 7)
	done.Status, done.Fiscal, done.FDBefore, done.Note = pos.SaleFiscalised, &fiscal, 162, "восстановлен"
	card := testSale("card", 2)
	card.Payments = []pos.Payment{{Method: pos.PayCash, Amount: 100}, {Method: pos.PayCard, Amount: 500, Approval: "A1B2C3"}}
	refund := testSale("refund", 2)
	refund.Kind, refund.RefundOf, refund.Buyer = pos.KindRefund, "orig-1", "+79001234567"
	refund.Lines[0].Marking = "0104601234567893215ABCDEfg\x1d93Abcd"
	loyal := testSale("loyal", 2)
	loyal.Loyalty = pos.SaleLoyalty{Customer: "c-1001", Redeemed: 20000, Earned: 1234}
	loyal.Offers = []pos.SaleOffer{{ID: "a-milk", Discount: 1099}, {ID: "a-x2"}}
	loyal.Lines[0].Offer = "−10 % на молоко"
	blank := pos.Sale{ID: "blank", Lines: make([]pos.Line, 16)} // lines of 11 bytes, the fewest a line takes
	return []pos.Sale{{}, {ID: "x", Status: pos.SaleCancelled}, testSale("s1", 1), local, done,
		tenLineSale("ten"), {ID: "neg", Shift: -1, Change: -5, Lines: []pos.Line{{Qty: -1000}}}, card, refund, loyal,
		blank}
}

// A format-3 record (before loyalty) reads as a sale without a loyalty customer.
func TestSaleCodecReadsFormat3(t *testing.T) {
	sale := testSale("v3", 2)
	sale.Buyer = "+79001234567"
	rec := encodeSale(sale)
	rec = rec[:len(rec)-3-1-len(sale.Lines)] // the loyalty customer and its points, the offers, the lines' offers
	rec[0] = saleFormatV3
	got, err := decodeSale(rec)
	if err != nil {
		t.Fatal(err)
	}
	if want := jsonRoundTrip(t, sale); !reflect.DeepEqual(got, want) {
		t.Errorf("format 3\n got %+v\nwant %+v", got, want)
	}
}

// A format-1 record (before card approval codes) still reads: here a sale without payments, whose format-1
// record is the format-6 one without its (here empty) extensions: kind, refund of, buyer, one marking per
// line (format 3), the loyalty customer with its points (format 4), the offers (format 5) and one offer
// text per line (format 6).
func TestSaleCodecReadsFormat1(t *testing.T) {
	sale := testSale("v1", 1)
	sale.Payments = nil
	rec := encodeSale(sale)
	rec = rec[:len(rec)-3-len(sale.Lines)-3-1-len(sale.Lines)]
	rec[0] = saleFormatV1
	got, err := decodeSale(rec)
	if err != nil {
		t.Fatal(err)
	}
	if want := jsonRoundTrip(t, sale); !reflect.DeepEqual(got, want) {
		t.Errorf("format 1\n got %+v\nwant %+v", got, want)
	}
}

// A format-4 record (before personal offers) reads as a sale without offers.
func TestSaleCodecReadsFormat4(t *testing.T) {
	sale := testSale("v4", 2)
	sale.Loyalty = pos.SaleLoyalty{Customer: "c-1001", Redeemed: 100, Earned: 5}
	rec := encodeSale(sale)
	rec = rec[:len(rec)-1-len(sale.Lines)]
	rec[0] = saleFormatV4
	got, err := decodeSale(rec)
	if err != nil {
		t.Fatal(err)
	}
	if want := jsonRoundTrip(t, sale); !reflect.DeepEqual(got, want) {
		t.Errorf("format 4\n got %+v\nwant %+v", got, want)
	}
}

// A format-5 record (before the lines' offer texts) reads as a sale whose lines carry none.
func TestSaleCodecReadsFormat5(t *testing.T) {
	sale := testSale("v5", 2)
	sale.Loyalty = pos.SaleLoyalty{Customer: "c-1001"}
	sale.Offers = []pos.SaleOffer{{ID: "a-milk", Discount: 1099}}
	rec := encodeSale(sale)
	rec = rec[:len(rec)-len(sale.Lines)]
	rec[0] = saleFormatV5
	got, err := decodeSale(rec)
	if err != nil {
		t.Fatal(err)
	}
	if want := jsonRoundTrip(t, sale); !reflect.DeepEqual(got, want) {
		t.Errorf("format 5\n got %+v\nwant %+v", got, want)
	}
}

func TestSaleCodecRoundTrip(t *testing.T) {
	for _, sale := range saleCodecCases() {
		t.Run(sale.ID, func(t *testing.T) {
			rec := encodeSale(sale)
			got, err := decodeSale(rec)
			if err != nil {
				t.Fatal(err)
			}
			// The JSON of schema 1 is the reference: the binary record must keep exactly what it kept.
			want := jsonRoundTrip(t, sale)
			if !reflect.DeepEqual(got, want) || !got.CreatedAt.Equal(sale.CreatedAt) {
				t.Errorf("round trip\n got %+v\nwant %+v", got, want)
			}
			for n := range rec { // every truncation is refused, never a panic or a silent short sale
				if _, err := decodeSale(rec[:n]); !errors.Is(err, ErrCorrupt) {
					t.Fatalf("truncated to %d bytes: %v, want ErrCorrupt", n, err)
				}
			}
		})
	}
}

// Times keep their instant and zone offset, including the sub-minute offsets of LMT zones, which
// time.UnmarshalBinary alone reads back wrong west of UTC; an offset AppendBinary refuses is kept in UTC.
func TestSaleCodecTimeZones(t *testing.T) {
	at := time.Date(2026, 3, 2, 17, 5, 0, 123, time.UTC)
	cases := []struct {
		name   string
		loc    *time.Location
		offset int
	}{
		{"utc", time.UTC, 0},
		{"msk", time.FixedZone("MSK", 3*3600), 3 * 3600},
		{"west", time.FixedZone("", -5*3600), -5 * 3600},
		{"lmt east", time.FixedZone("LMT", 2*3600+30*60+17), 2*3600 + 30*60 + 17},
		{"lmt west", time.FixedZone("LMT", -(4*3600 + 56*60 + 2)), -(4*3600 + 56*60 + 2)},
		{"half a minute west", time.FixedZone("", -30), -30},
		{"minute part -1", time.FixedZone("", -90), 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeSale(encodeSale(pos.Sale{ID: tc.name, CreatedAt: at.In(tc.loc)}))
			if err != nil {
				t.Fatal(err)
			}
			if _, offset := got.CreatedAt.Zone(); !got.CreatedAt.Equal(at) || offset != tc.offset {
				t.Errorf("created %v (offset %d), want %v at offset %d", got.CreatedAt, offset, at, tc.offset)
			}
			if again, err := decodeSale(encodeSale(got)); err != nil || !reflect.DeepEqual(again, got) {
				t.Errorf("second round trip: %+v, %v", again, err)
			}
		})
	}
}

// A time field the encoder cannot have written is refused, so every sale that decodes encodes back to it.
func TestSaleCodecRefusesForeignTimes(t *testing.T) {
	good, err := time.Date(2026, 3, 2, 17, 5, 0, 0, time.FixedZone("", -30)).AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	patch := func(at int, b ...byte) []byte {
		raw := append([]byte(nil), good...)
		copy(raw[at:], b)
		return raw
	}
	zero, _ := time.Time{}.In(time.FixedZone("", 3*3600)).AppendBinary(nil)
	cases := map[string][]byte{
		"nanoseconds 1e9":          patch(9, 0x3B, 0x9A, 0xCA, 0x00),
		"nanoseconds over 2^30":    patch(9, 'A', '0', '0', '0'),
		"negative nanoseconds":     patch(9, 0xFF, 0xFF, 0xFF, 0xFF),
		"version 2, whole minutes": patch(15, 0),
		"minute part -1":           patch(13, 0xFF, 0xFF, 0xE2),
		"zero instant":             zero,
		"unknown version":          patch(0, 3),
	}
	empty := encodeSale(pos.Sale{ID: "t"}) // format, id, terminal, cashier, shift, then the created time
	const at = 6
	for name, raw := range cases {
		rec := append(append(append([]byte(nil), empty[:at]...), byte(len(raw))), raw...)
		rec = append(rec, empty[at+1:]...)
		if _, err := decodeSale(rec); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
	rec := append(append(append([]byte(nil), empty[:at]...), byte(len(good))), good...)
	if _, err := decodeSale(append(rec, empty[at+1:]...)); err != nil {
		t.Errorf("the unpatched time: %v", err)
	}
}

func jsonRoundTrip(t *testing.T, sale pos.Sale) pos.Sale {
	t.Helper()
	data, err := json.Marshal(sale)
	if err != nil {
		t.Fatal(err)
	}
	var out pos.Sale
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func FuzzDecodeSale(f *testing.F) {
	for _, sale := range saleCodecCases() {
		f.Add(encodeSale(sale))
	}
	f.Fuzz(func(t *testing.T, rec []byte) {
		sale, err := decodeSale(rec)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		again, err := decodeSale(encodeSale(sale))
		if err != nil || !reflect.DeepEqual(again, sale) {
			t.Fatalf("re-encoding changed the sale: %v\n%+v\n%+v", err, again, sale)
		}
	})
}

func TestSaleIDMayNotUseInternalKeys(t *testing.T) {
	s := openTemp(t)
	if err := s.BeginSale(testSale("\xffp", 1)); !errors.Is(err, ErrInvalid) {
		t.Errorf("BeginSale with internal prefix: %v, want ErrInvalid", err)
	}
	if err := s.BeginSale(testSale("a", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sale(string(pendingKey("a"))); !errors.Is(err, ErrNotFound) {
		t.Errorf("Sale of a pending mark: %v, want ErrNotFound", err)
	}
}

// TestMigrateJournalV2 writes a journal the way schema 1 did and checks that opening it keeps every sale,
// the pending set and the shift totals, and drops the schema 1 buckets.
func TestMigrateJournalV2(t *testing.T) {
	sales := []pos.Sale{testSale("s1", 1), testSale("s2", 1), testSale("s3", 2), testSale("s4", 2)}
	fiscal := testFiscal
	sales[0].Status, sales[0].Fiscal = pos.SaleFiscalised, &fiscal
	sales[2].Status, sales[2].Note = pos.SaleCancelled, "отмена"
	const many = 2500 // more than one migration batch
	path := writeRaw(t, func(tx *bbolt.Tx) error {
		if err := migrations[0].apply(tx); err != nil {
			return err
		}
		all := append([]pos.Sale(nil), sales...)
		for i := range many {
			all = append(all, tenLineSale(fmt.Sprintf("bulk-%05d", i)))
		}
		for i, sale := range all {
			data, err := json.Marshal(sale)
			if err != nil {
				return err
			}
			if err := tx.Bucket(bktSales).Put([]byte(sale.ID), data); err != nil {
				return err
			}
			if err := tx.Bucket(bktSalesOrder).Put(binary.BigEndian.AppendUint64(nil, uint64(i+1)), []byte(sale.ID)); err != nil {
				return err
			}
		}
		for _, id := range []string{"s2", "s4"} {
			if err := tx.Bucket(bktPending).Put([]byte(id), nil); err != nil {
				return err
			}
		}
		totals := shiftTotals{count: 1, cash: 18617, card: 15000}
		if err := tx.Bucket(bktShiftTotals).Put(shiftKey(1), totals.encode()); err != nil {
			return err
		}
		return putSchema(tx, 1)
	})
	s, err := Open(path, Options{Terminal: "T1"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.SchemaOf(); err != nil || v != SchemaVersion() {
		t.Fatalf("schema %d, %v; want %d", v, err, SchemaVersion())
	}
	for _, want := range sales {
		got, err := s.Sale(want.ID)
		if err != nil || !reflect.DeepEqual(got, jsonRoundTrip(t, want)) {
			t.Errorf("sale %s = %+v, %v\nwant %+v", want.ID, got, err, want)
		}
	}
	if got, err := s.Sale("bulk-02499"); err != nil || len(got.Lines) != 10 {
		t.Errorf("last bulk sale: %+v, %v", got, err)
	}
	pending, err := s.PendingSales()
	if err != nil || len(pending) != 2 || pending[0].ID != "s2" || pending[1].ID != "s4" {
		t.Errorf("pending %v, %v; want s2, s4", pending, err)
	}
	if n, cash, card, err := s.ShiftTotals(1); err != nil || n != 1 || cash != 18617 || card != 15000 {
		t.Errorf("shift 1 totals %d %v %v %v", n, cash, card, err)
	}
	// The migrated journal works on: completing a migrated pending sale counts it in its shift.
	if _, err := s.CompleteSale("s4", testFiscal); err != nil {
		t.Fatal(err)
	}
	if n, _, _, err := s.ShiftTotals(2); err != nil || n != 1 {
		t.Errorf("shift 2 totals count %d, %v; want 1", n, err)
	}
	if recent, err := s.RecentSales(1); err != nil || len(recent) != 1 || recent[0].ID != "bulk-02499" {
		t.Errorf("recent %v, %v", recent, err)
	}
	err = s.view(func(tx *bbolt.Tx) error {
		if tx.Bucket(bktPending) != nil || tx.Bucket(bktShiftTotals) != nil {
			return errors.New("schema 1 buckets left behind")
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}
