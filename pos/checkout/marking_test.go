package checkout

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/kassa-pos/kassa/pos"
)

var (
	water = pos.Product{ID: "100140", Name: "Вода Святой Источник газированная 1,5 л",
		Barcodes: []string{"4690421631110"}, Price: 6990, VAT: pos.VAT22, Marked: true}
	// Marking codes as a serial scanner sends them: GS before the crypto tail.
	water1    = "0104690421631110215WtrDemo00001\x1d93Demo"
	water2    = "0104690421631110215WtrDemo00002\x1d93Demo"
	water1AIM = "]d2\x1d0104690421631110215WtrDemo00001\x1d93Dem2" // the same pack, AIM id and FNC1, other tail
	waterKI   = "0104690421631110215WtrDemo00003"                  // the text under the DataMatrix
	milkKM    = "0104607001771401215MilkDemo0001\x1d93Demo"        // milk is not marked in this catalog
	unknownKM = "0104600000000008215Unknown00001\x1d93Demo"
)

func newMarkingRig(t *testing.T) *rig {
	r := newRig(t)
	r.store.products = append(r.store.products, water)
	return r
}

func TestScanMarking(t *testing.T) {
	for _, c := range []struct {
		name        string
		before      []string // scanned first, each must succeed
		text        string
		qty         pos.Qty
		err         error
		wantMarking string // the new line's code; "" for a line without one
		wantLines   int
	}{
		{"marking code of a marked product", nil, water1, 0, nil, water1, 1},
		{"1* is one piece", nil, water1, pos.QtyOne, nil, water1, 1},
		{"two packs, two lines", []string{water1}, water2, 0, nil, water2, 2},
		{"same pack twice", []string{water1}, water1, 0, pos.ErrMarkingDuplicate, "", 1},
		{"same pack, other scanner", []string{water1}, water1AIM, 0, pos.ErrMarkingDuplicate, "", 1},
		{"EAN of a marked product", nil, "4690421631110", 0, pos.ErrNeedsMarking, "", 0},
		{"identification code without crypto", nil, waterKI, 0, pos.ErrNeedsMarking, "", 0},
		{"n* on a marked product", nil, water1, pos.Pieces(2), pos.ErrMarkedQuantity, "", 0},
		{"n* on a marked product's EAN", nil, "4690421631110", pos.Pieces(3), pos.ErrMarkedQuantity, "", 0},
		{"unmarked product sells by its GTIN", nil, milkKM, 0, nil, "", 1},
		{"unmarked product by GTIN, n*", nil, milkKM, pos.Pieces(2), nil, "", 1},
		{"unknown GTIN", nil, unknownKM, 0, pos.ErrUnknownBarcode, "", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newMarkingRig(t)
			for _, b := range c.before {
				mustScan(t, r, b)
			}
			res, err := r.till.Scan(c.text, c.qty)
			if !errors.Is(err, c.err) {
				t.Fatalf("Scan(%q) err = %v, want %v", c.text, err, c.err)
			}
			lines := r.till.Cart().Lines()
			if len(lines) != c.wantLines {
				t.Fatalf("%d lines, want %d: %+v", len(lines), c.wantLines, lines)
			}
			var need *pos.MarkingNeeded
			if errors.Is(c.err, pos.ErrNeedsMarking) && (!errors.As(err, &need) || need.Product.ID != water.ID) {
				t.Errorf("err %v does not name the product", err)
			}
			if err != nil {
				return
			}
			l := lines[res.Line]
			if l.Marking != c.wantMarking {
				t.Errorf("line marking = %q, want %q", l.Marking, c.wantMarking)
			}
			if c.wantMarking != "" && (l.Qty != pos.QtyOne || l.Barcode != "4690421631110" || l.ProductID != water.ID) {
				t.Errorf("marked line = %+v", l)
			}
			if c.wantMarking == "" && (l.Barcode != "4607001771401" || l.Qty != max(c.qty, pos.QtyOne)) {
				t.Errorf("line of the unmarked product = %+v", l)
			}
		})
	}
}

func TestScanMarkingAsked(t *testing.T) {
	for _, c := range []struct {
		name string
		text string
		err  error
	}{
		{"the pack's code", water1, nil},
		{"the EAN again", "4690421631110", pos.ErrNeedsMarking},
		{"code of another product", milkKM, pos.ErrMarkingMismatch},
		{"broken code", "0104690421631110215WtrDemo00001ЖЖ", pos.ErrInvalidBarcode},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newMarkingRig(t)
			_, err := r.till.ScanMarking(water, c.text)
			if !errors.Is(err, c.err) {
				t.Fatalf("ScanMarking(%q) = %v, want %v", c.text, err, c.err)
			}
			want := 0
			if c.err == nil {
				want = 1
			}
			if r.till.Cart().Len() != want {
				t.Errorf("cart has %d lines, want %d", r.till.Cart().Len(), want)
			}
		})
	}
}

func TestMarkedLineRules(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		do   func(r *rig) error
		err  error
	}{
		{"search adds a marked product: asks for the code", func(r *rig) error {
			_, err := r.till.Add(water, 0, "")
			return err
		}, pos.ErrNeedsMarking},
		{"quantity of a marked line stays one", func(r *rig) error {
			mustScan(t, r, water1)
			return r.till.SetQty(0, pos.Pieces(2))
		}, pos.ErrMarkedQuantity},
		{"storno frees the code", func(r *rig) error {
			mustScan(t, r, water1)
			if err := r.till.CancelLine(0); err != nil {
				return err
			}
			_, err := r.till.Scan(water1, 0)
			return err
		}, nil},
		{"128 codes per receipt, then no more", func(r *rig) error {
			for i := range MaxMarkedLines {
				mustScan(t, r, fmt.Sprintf("0104690421631110215WtrDemo%05d\x1d93Demo", i))
			}
			_, err := r.till.Scan("0104690421631110215WtrDemoLast\x1d93Demo", 0)
			return err
		}, pos.ErrMarkingLimit},
		{"a cancelled line's code does not count", func(r *rig) error {
			for i := range MaxMarkedLines {
				mustScan(t, r, fmt.Sprintf("0104690421631110215WtrDemo%05d\x1d93Demo", i+10))
			}
			if err := r.till.CancelLine(5); err != nil {
				return err
			}
			_, err := r.till.Scan(water2, 0)
			return err
		}, nil},
		{"deferred and recalled, the code stays", func(r *rig) error {
			mustScan(t, r, water1)
			d, err := r.till.Defer()
			if err != nil {
				return err
			}
			if err := r.till.Recall(d.ID); err != nil {
				return err
			}
			if l := r.till.Cart().Lines(); len(l) != 1 || l[0].Marking != water1 {
				return fmt.Errorf("recalled %+v", l)
			}
			_, err = r.till.Scan(water1, 0)
			return err
		}, pos.ErrMarkingDuplicate},
		{"the sale carries the codes", func(r *rig) error {
			mustScan(t, r, water1)
			mustScan(t, r, "4607001771401")
			mustScan(t, r, water2)
			sale, err := r.till.Pay(ctx, cash(30000))
			if err != nil {
				return err
			}
			var got []string
			for _, l := range sale.Lines {
				got = append(got, l.Marking)
			}
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", []string{water1, "", water2}) {
				return fmt.Errorf("sale lines carry %q", got)
			}
			return nil
		}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newMarkingRig(t)
			if err := c.do(r); !errors.Is(err, c.err) {
				t.Fatalf("err = %v, want %v", err, c.err)
			}
		})
	}
}
