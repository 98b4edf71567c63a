package store

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/wire"
)

func TestMaskContact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+79000000001", "+7 ••• •••-••-01"},
		{"anna.petrova@example.ru", "a•••@example.ru"},
		{"иван@почта.рф", "и•••@почта.рф"},
		{"a@b@c", "a•••@b@c"},
		{"", ""},
		{"@x", "•••"},
		{"garbage", "•••"},
	}
	for _, c := range tests {
		if got := MaskContact(c.in); got != c.want {
			t.Errorf("MaskContact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// With a key, the buyer's contact is never in clear in the database file, the readers give it back, and
// the hub's event carries it masked. Another key or none reads it as empty.
func TestBuyerSealed(t *testing.T) {
	key := bytes.Repeat([]byte{7}, BuyerKeySize)
	path := filepath.Join(t.TempDir(), "kassa.db")
	s, err := Open(path, Options{Terminal: "T1", BuyerKey: key})
	if err != nil {
		t.Fatal(err)
	}
	contacts := map[string]string{"phone": "+79000000001", "mail": "anna.petrova@example.ru"}
	for id, c := range contacts {
		sale := testSale(id, 7)
		sale.Buyer = c
		if err := s.BeginSale(sale); err != nil {
			t.Fatal(err)
		}
		if p, err := s.PendingSales(); err != nil || p[len(p)-1].Buyer != c {
			t.Fatalf("pending sale's buyer %+v, %v", p, err)
		}
		done, err := s.CompleteSale(id, testFiscal)
		if err != nil || done.Buyer != c {
			t.Fatalf("completed buyer %q, %v; want %q", done.Buyer, err, c)
		}
	}
	evs, err := s.PeekEvents(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		var w wire.Sale
		if err := json.Unmarshal(ev.Payload, &w); err != nil {
			t.Fatal(err)
		}
		if w.Buyer != MaskContact(contacts[ev.ID]) {
			t.Errorf("event %s buyer %q, want masked", ev.ID, w.Buyer)
		}
	}
	if got, _ := s.Sale("phone"); got.Buyer != contacts["phone"] {
		t.Errorf("Sale buyer %q", got.Buyer)
	}
	s.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"9000000001", "anna.petrova"} {
		if bytes.Contains(raw, []byte(c)) {
			t.Errorf("the database file holds %q in clear", c)
		}
	}
	for name, k := range map[string][]byte{"other key": bytes.Repeat([]byte{8}, BuyerKeySize), "no key": nil} {
		s, err := Open(path, Options{BuyerKey: k})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.Sale("phone"); err != nil || got.Buyer != "" {
			t.Errorf("%s: buyer %q, %v; want empty", name, got.Buyer, err)
		}
		s.Close()
	}
	if _, err := Open(path, Options{BuyerKey: []byte("short")}); err == nil || !strings.Contains(err.Error(), "buyer key") {
		t.Errorf("a short key = %v", err)
	}
}
