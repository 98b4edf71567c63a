package pickup_test

import (
	"errors"
	"testing"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/pickup"
)

func TestScan(t *testing.T) {
	r := newRig(t)
	// Order W-1: 2 bread, 1 milk, 2 marked water. Order W-2: coffee and 1,25 kg of bananas.
	tests := []struct {
		order    string
		text     string
		wantLine int
		wantErr  error
		scanned  pos.Qty // of the line after the scan
	}{
		{"W-1", "4601234567893", 0, nil, pos.Pieces(1)},
		{"W-1", "4601234567893", 0, nil, pos.Pieces(2)},
		{"W-1", "4601234567893", 0, pickup.ErrLineComplete, pos.Pieces(2)},
		{"W-1", "]E04601111111119", 1, nil, pos.Pieces(1)},
		{"W-1", "4690421631110", 2, pos.ErrNeedsMarking, 0},
		{"W-1", waterNoCT, 2, pos.ErrNeedsMarking, 0},
		{"W-1", water1, 2, nil, pos.Pieces(1)},
		{"W-1", "0104690421631110215WtrDemo00001\x1d93Othr", 2, pos.ErrMarkingDuplicate, pos.Pieces(1)},
		{"W-1", "0104690421631110215WtrDemo00002<GS>93Demo", 2, nil, pos.Pieces(2)}, // the wedge's GS substitute
		{"W-1", "4665174726000", -1, pickup.ErrNotInOrder, 0},
		{"W-1", "4600000000008", -1, pos.ErrUnknownBarcode, 0},
		{"W-1", "4601234567890", -1, pos.ErrInvalidBarcode, 0},
		{"W-2", "2100001012502", 1, nil, 1250}, // a weight label confirms the weighed line whole
		{"W-2", "200001", 1, pickup.ErrLineComplete, 1250},
		{"W-2", "100124", 0, nil, pos.Pieces(1)}, // the article typed when the barcode will not scan
	}
	r.cfg.Wedge.GSSubstitute = "<GS>"
	desk := pickup.New(r.cfg)
	open := map[string]*pickup.Verification{}
	for _, tt := range tests {
		v := open[tt.order]
		if v == nil {
			var err error
			if v, err = desk.FindByNumber(tt.order, "6789"); err != nil {
				t.Fatal(err)
			}
			open[tt.order] = v
		}
		i, err := v.Scan(tt.text)
		if !errors.Is(err, tt.wantErr) || i != tt.wantLine {
			t.Fatalf("%s: Scan(%q) = %d, %v; want %d, %v", tt.order, tt.text, i, err, tt.wantLine, tt.wantErr)
		}
		if i >= 0 && v.Lines[i].Scanned != tt.scanned {
			t.Fatalf("%s: Scan(%q): line %d scanned %s, want %s", tt.order, tt.text, i, v.Lines[i].Scanned, tt.scanned)
		}
	}
	var nio *pickup.NotInOrder
	if _, err := open["W-1"].Scan("4665174726000"); !errors.As(err, &nio) || nio.Name != socks.Name {
		t.Errorf("a product not in the order: %v, want it named", err)
	}
	for order, v := range open {
		if !v.Complete() {
			t.Errorf("%s is not complete: %+v", order, v.Lines)
		}
	}
	if toHand, scanned, refused := open["W-1"].Counts(); toHand != 5 || scanned != 5 || refused != 0 {
		t.Errorf("W-1 counts %d/%d, refused %d", scanned, toHand, refused)
	}
}

func TestRefuse(t *testing.T) {
	r := newRig(t)
	v, err := r.desk.FindByNumber("W-1", "6789")
	if err != nil {
		t.Fatal(err)
	}
	scanAll(t, v, "4601234567893", "4601234567893", water1, water2)
	tests := []struct {
		line    int
		qty     pos.Qty
		wantErr error
		scanned pos.Qty
		codes   int
	}{
		{0, pos.Pieces(3), pos.ErrBadQuantity, pos.Pieces(2), 0},
		{0, 500, pos.ErrBadQuantity, pos.Pieces(2), 0},
		{0, pos.Pieces(1), nil, pos.Pieces(1), 0}, // the second loaf's scan is dropped
		{2, pos.Pieces(1), nil, pos.Pieces(1), 1}, // the last code is dropped, the first pack is handed over
		{2, 0, nil, pos.Pieces(1), 1},             // taken back: one pack is left to scan
		{9, pos.Pieces(1), pos.ErrLineNotFound, 0, 0},
	}
	for _, tt := range tests {
		err := v.Refuse(tt.line, tt.qty, "не подошло")
		if !errors.Is(err, tt.wantErr) {
			t.Fatalf("Refuse(%d, %s) = %v, want %v", tt.line, tt.qty, err, tt.wantErr)
		}
		if tt.line < len(v.Lines) && (v.Lines[tt.line].Scanned != tt.scanned || tt.line == 2 && len(v.Lines[2].Codes) != tt.codes) {
			t.Fatalf("after Refuse(%d, %s): %+v", tt.line, tt.qty, v.Lines[tt.line])
		}
	}
	var nv *pickup.NotVerified
	if v.Complete() || !errors.As(v.Verify(), &nv) || nv.Name != milk.Name {
		t.Errorf("verification with milk unscanned: complete %v, %v", v.Complete(), v.Verify())
	}
	w2, err := r.desk.FindByNumber("W-2", "6789")
	if err != nil {
		t.Fatal(err)
	}
	if err := w2.Refuse(1, 250, "перевес"); !errors.Is(err, pos.ErrBadQuantity) {
		t.Errorf("part of a weighed line refused: %v", err)
	}
	if err := w2.Refuse(1, 1250, "перевес"); err != nil || !w2.Lines[1].Done() {
		t.Errorf("a weighed line refused whole: %v, %+v", err, w2.Lines[1])
	}
}

func TestAmounts(t *testing.T) {
	r := newRig(t)
	tests := []struct {
		order  string
		refuse map[int]pos.Qty
		want   pickup.Amounts
	}{
		{"W-1", nil, pickup.Amounts{Total: 37550, Handed: 37550, Prepaid: 37550, Offset: 37550}},
		{"W-1", map[int]pos.Qty{0: pos.Pieces(1), 2: pos.Pieces(2)}, pickup.Amounts{Total: 37550, Handed: 17280,
			Refused: 20270, Prepaid: 37550, Offset: 17280, Refund: 20270}},
		{"W-2", map[int]pos.Qty{1: 1250}, pickup.Amounts{Total: 78728, Handed: 59990, Refused: 18738, Due: 59990}},
		{"W-3", nil, pickup.Amounts{Total: 78860, Handed: 78860, Prepaid: 30000, Offset: 30000, Due: 48860}},
		{"W-3", map[int]pos.Qty{0: pos.Pieces(1)}, pickup.Amounts{Total: 78860, Handed: 18870, Refused: 59990,
			Prepaid: 30000, Offset: 18870, Refund: 11130}},
	}
	for _, tt := range tests {
		v, err := r.desk.FindByNumber(tt.order, "6789")
		if err != nil {
			t.Fatal(err)
		}
		for i, q := range tt.refuse {
			if err := v.Refuse(i, q, ""); err != nil {
				t.Fatal(err)
			}
		}
		if got := v.Amounts(); got != tt.want {
			t.Errorf("%s refusing %v: %+v, want %+v", tt.order, tt.refuse, got, tt.want)
		}
	}
}
