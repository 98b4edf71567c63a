package hub_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestMaskName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Анна Петрова", "Анна П."},
		{"Петрова Анна Сергеевна", "Анна П."},
		{"  анна   петрова ", "анна П."},
		{"Анна", "Анна"},
		{"", ""},
		{"John Smith", "John S."},
	}
	for _, tc := range tests {
		if got := hub.MaskName(tc.in); got != tc.want {
			t.Errorf("MaskName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// pickupCases are web shop requests for store s1 (seedCatalog) and what BuildPickupOrder makes of them;
// FuzzAdminPickup starts from their JSON.
var pickupCases = []struct {
	name    string
	req     wire.PickupRequest
	wantErr error
	total   int64
	detail  string
}{
	{"pieces and weight", wire.PickupRequest{Store: "s1", Number: "W-1", Phone: "+7 912 345-67-89", Customer: "Анна Петрова",
		Items: []wire.PickupItem{{Barcode: "4601234567893", Qty: 2000}, {ProductID: "200001", Qty: 1250}}, Prepaid: 5000},
		nil, 2*6290 + 19988, ""},
	{"online price", wire.PickupRequest{Store: "s1", Number: "W-2", Phone: "89123456789",
		Items: []wire.PickupItem{{Barcode: "4601111111119", Qty: 1000, Price: 9990}}, Prepaid: 9990}, nil, 9990, ""},
	{"unknown barcode", wire.PickupRequest{Store: "s1", Number: "W-3", Phone: "+79123456789",
		Items: []wire.PickupItem{{Barcode: "4600000000000", Qty: 1000}}}, hub.ErrNotFound, 0, "not in the catalog"},
	{"other store", wire.PickupRequest{Store: "s2", Number: "W-3", Phone: "+79123456789",
		Items: []wire.PickupItem{{Barcode: "4601234567893", Qty: 1000}}}, hub.ErrNotFound, 0, "store s2"},
	{"half a loaf", wire.PickupRequest{Store: "s1", Number: "W-4", Phone: "+79123456789",
		Items: []wire.PickupItem{{Barcode: "4601234567893", Qty: 500}}}, hub.ErrInvalid, 0, "not whole"},
	{"bad phone", wire.PickupRequest{Store: "s1", Number: "W-5", Phone: "12345", Items: []wire.PickupItem{{Barcode: "4601234567893", Qty: 1000}}},
		hub.ErrInvalid, 0, "phone"},
	{"no items", wire.PickupRequest{Store: "s1", Number: "W-6", Phone: "+79123456789"}, hub.ErrInvalid, 0, "items"},
	{"both codes", wire.PickupRequest{Store: "s1", Number: "W-7", Phone: "+79123456789",
		Items: []wire.PickupItem{{Barcode: "4601234567893", ProductID: "100001", Qty: 1000}}}, hub.ErrInvalid, 0, "barcode or a product_id"},
	{"over-prepaid", wire.PickupRequest{Store: "s1", Number: "W-8", Phone: "+79123456789",
		Items: []wire.PickupItem{{Barcode: "4601234567893", Qty: 1000}}, Prepaid: 7000}, hub.ErrInvalid, 0, "prepaid"},
	{"no number", wire.PickupRequest{Store: "s1", Phone: "+79123456789", Items: []wire.PickupItem{{Barcode: "4601234567893", Qty: 1000}}},
		hub.ErrInvalid, 0, "number"},
	{"no store", wire.PickupRequest{Number: "W-9", Phone: "+79123456789", Items: []wire.PickupItem{{Barcode: "4601234567893", Qty: 1000}}},
		hub.ErrInvalid, 0, "store"},
	{"huge qty", wire.PickupRequest{Store: "s1", Number: "W-10", Phone: "+79123456789",
		Items: []wire.PickupItem{{Barcode: "4601234567893", Qty: 1 << 60}}}, hub.ErrInvalid, 0, "qty"},
	{"expired", wire.PickupRequest{Store: "s1", Number: "W-11", Phone: "+79123456789", ExpiresAt: t0.Add(-time.Hour),
		Items: []wire.PickupItem{{Barcode: "4601234567893", Qty: 1000}}}, hub.ErrInvalid, 0, "expires_at"},
}

func TestBuildPickupOrder(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	th.seedCatalog(t)
	opt := hub.PickupOptions{TTL: 48 * time.Hour, KeyID: "k1", Key: qrKey, PhoneKey: phoneKey}
	for _, tc := range pickupCases {
		t.Run(tc.name, func(t *testing.T) {
			o, hash, err := hub.BuildPickupOrder(ctx, th.st, tc.req, opt, t0)
			if !errors.Is(err, tc.wantErr) || err != nil && !strings.Contains(err.Error(), tc.detail) {
				t.Fatalf("BuildPickupOrder = %v, want %v mentioning %q", err, tc.wantErr, tc.detail)
			}
			if err != nil {
				return
			}
			want, _ := wire.PhoneHash(phoneKey, tc.req.Phone)
			if o.Total != tc.total || o.Prepaid != tc.req.Prepaid || o.PhoneLast4 != "6789" || hash != want ||
				o.Status != wire.PickupReady || !o.ExpiresAt.Equal(t0.Add(48*time.Hour)) || o.ID != hub.PickupOrderID("s1", tc.req.Number) {
				t.Errorf("order %+v, hash %q", o, hash)
			}
			if tc.req.Customer != "" && o.Customer != "Анна П." {
				t.Errorf("customer %q is not masked", o.Customer)
			}
		})
	}
}

func TestPickupOrderLifecycle(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	th.seedCatalog(t)
	req := pickupCases[0].req
	o, hash, err := hub.BuildPickupOrder(ctx, th.st, req, hub.PickupOptions{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, created, err := th.st.PutPickupOrder(ctx, o, hash); !created || err != nil {
		t.Fatalf("first put: %v, %v", created, err)
	}
	later, _, _ := hub.BuildPickupOrder(ctx, th.st, req, hub.PickupOptions{}, t0.Add(time.Hour))
	if got, created, err := th.st.PutPickupOrder(ctx, later, hash); created || err != nil || !got.ReadyAt.Equal(o.ReadyAt) {
		t.Errorf("repeat: %+v, %v, %v; want the first order", got, created, err)
	}
	other := o
	other.Prepaid = 0
	if _, _, err := th.st.PutPickupOrder(ctx, other, hash); !errors.Is(err, hub.ErrConflict) {
		t.Errorf("another order of the number: %v, want ErrConflict", err)
	}
	if got, err := th.st.PickupOrder(ctx, o.ID); err != nil || got.Number != "W-1" {
		t.Errorf("PickupOrder = %+v, %v", got, err)
	}
	if _, err := th.st.PickupOrder(ctx, "po-none"); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("unknown order: %v", err)
	}

	handover := func(id string, seq uint64) wire.Event {
		return wire.Event{ID: id, Seq: seq, Type: wire.TypePickupHandover, Terminal: "till-1", At: t0,
			Payload: []byte(`{"order":"` + o.ID + `"}`)}
	}
	steps := []struct {
		term     hub.Terminal
		ev       wire.Event
		status   hub.Status
		warnings int
	}{
		{till1, handover("h1", 1), hub.Stored, 0},
		{till1, handover("h1", 1), hub.Duplicate, 0},
		{hub.Terminal{Store: "s1", Name: "till-2"}, handover("h2", 1), hub.Stored, 1},
		{hub.Terminal{Store: "s2", Name: "till-9"}, handover("h3", 1), hub.Rejected, 0},
	}
	for i, s := range steps {
		res, err := th.st.Append(ctx, s.term, incoming([]wire.Event{s.ev}), t0)
		if err != nil || res.Events[0].Status != s.status || len(res.Warnings) != s.warnings {
			t.Errorf("step %d: %+v, %v", i, res, err)
		}
	}
	if got, _ := th.st.PickupOrder(ctx, o.ID); got.Status != wire.PickupCollected {
		t.Errorf("status %q after the hand-over", got.Status)
	}
	if p := th.page(t, wire.FeedPickupOrders, "", 10); len(p.Items) != 1 || !strings.Contains(string(p.Items[0]), `"status":"collected"`) {
		t.Errorf("pickup feed %s", mustJSON(p))
	}
}
