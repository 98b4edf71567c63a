package pickup_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos/pickup"
	"github.com/kassa-pos/kassa/sync/wire"
)

// findCases are what staff scan or type at the desk and how the desk answers; FuzzFind starts from them.
func findCases(t testing.TB) []struct {
	name, text string
	wantOrder  string
	wantVia    string
	wantErr    error
} {
	valid := qr(t, "o1", "W-1", "s1", t0.Add(time.Hour))
	forged := valid[:len(valid)-2] + map[bool]string{true: "AA", false: "AB"}[strings.HasSuffix(valid, "AB")]
	otherKey, err := wire.SignPickupQR(wire.PickupQR{Order: "o1", Number: "W-1", Store: "s1", Expires: t0.Add(time.Hour)}, "k1", otherQR)
	if err != nil {
		t.Fatal(err)
	}
	unknownKid, err := wire.SignPickupQR(wire.PickupQR{Order: "o1", Number: "W-1", Store: "s1", Expires: t0.Add(time.Hour)}, "k9", qrKey)
	if err != nil {
		t.Fatal(err)
	}
	return []struct {
		name, text string
		wantOrder  string
		wantVia    string
		wantErr    error
	}{
		{name: "QR", text: valid, wantOrder: "o1", wantVia: pickup.ViaQR},
		{name: "QR with spaces and CR", text: " " + valid + "\r\n", wantOrder: "o1", wantVia: pickup.ViaQR},
		{name: "QR of an overdue order still valid", text: qr(t, "o7", "W-7", "s1", t0.Add(time.Minute)), wantOrder: "o7", wantVia: pickup.ViaQR},
		{name: "forged signature", text: forged, wantErr: pickup.ErrQRForged},
		{name: "signed with another key", text: otherKey, wantErr: pickup.ErrQRForged},
		{name: "unknown key id", text: unknownKid, wantErr: pickup.ErrQRForged},
		{name: "cut short", text: valid[:30], wantErr: pickup.ErrQRInvalid},
		{name: "expired", text: qr(t, "o1", "W-1", "s1", t0.Add(-time.Second)), wantErr: pickup.ErrQRExpired},
		{name: "expires this second", text: qr(t, "o1", "W-1", "s1", t0), wantErr: pickup.ErrQRExpired},
		{name: "another store", text: qr(t, "o6", "W-6", "s2", t0.Add(time.Hour)), wantErr: pickup.ErrForeignStore},
		{name: "collected (feed)", text: qr(t, "o4", "W-4", "s1", t0.Add(time.Hour)), wantErr: pickup.ErrAlreadyCollected},
		{name: "cancelled", text: qr(t, "o5", "W-5", "s1", t0.Add(time.Hour)), wantErr: pickup.ErrOrderCancelled},
		{name: "not pulled yet", text: qr(t, "o99", "W-99", "s1", t0.Add(time.Hour)), wantErr: pickup.ErrOrderNotFound},
		{name: "number and phone", text: "W-1 6789", wantOrder: "o1", wantVia: pickup.ViaNumber},
		{name: "number in lower case", text: "w-2 6789", wantOrder: "o2", wantVia: pickup.ViaNumber},
		{name: "overdue, expired order by number", text: "W-8 6789", wantOrder: "o8", wantVia: pickup.ViaNumber},
		{name: "wrong phone digits", text: "W-1 6788", wantErr: pickup.ErrWrongPhone},
		{name: "three digits", text: "W-1 789", wantErr: pickup.ErrWrongPhone},
		{name: "letters for digits", text: "W-1 67a9", wantErr: pickup.ErrWrongPhone},
		{name: "number alone", text: "W-1", wantErr: pickup.ErrNeedPhone},
		{name: "unknown number", text: "W-404 6789", wantErr: pickup.ErrOrderNotFound},
		{name: "unknown number alone", text: "W-404", wantErr: pickup.ErrOrderNotFound},
		{name: "number of another store", text: "W-6 6789", wantErr: pickup.ErrForeignStore},
		{name: "collected by number", text: "W-4 6789", wantErr: pickup.ErrAlreadyCollected},
		{name: "three words", text: "W-1 67 89", wantErr: pickup.ErrOrderNotFound},
		{name: "empty", text: "  ", wantErr: pickup.ErrOrderNotFound},
	}
}

func TestFind(t *testing.T) {
	r := newRig(t)
	for _, tt := range findCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			v, err := r.desk.Find(tt.text)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || v != nil {
					t.Fatalf("Find = %v, %v; want %v", v, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Find: %v", err)
			}
			if v.Order.ID != tt.wantOrder || v.Via != tt.wantVia || len(v.Lines) != len(v.Order.Lines) || v.Resume != nil {
				t.Fatalf("Find = order %s via %s, %d lines; want %s via %s", v.Order.ID, v.Via, len(v.Lines), tt.wantOrder, tt.wantVia)
			}
		})
	}
}

func TestFindCollectedHere(t *testing.T) {
	r := newRig(t)
	v, err := r.desk.Find("W-7 6789")
	if err != nil {
		t.Fatal(err)
	}
	scanAll(t, v, "4601111111119")
	if _, err := r.desk.HandOver(t.Context(), v, nil); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{qr(t, "o7", "W-7", "s1", t0.Add(time.Hour)), "W-7 6789"} {
		if _, err := r.desk.Find(text); !errors.Is(err, pickup.ErrAlreadyCollected) || !strings.Contains(err.Error(), "Петров") {
			t.Errorf("Find(%.20q) after the hand-over = %v, want ErrAlreadyCollected here by the staff", text, err)
		}
	}
	// The feed still says ready (the hub has not heard yet): the desk's ledger wins, the state never goes back.
	l, err := r.desk.Waiting()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range l.Orders {
		if o.ID == "o7" {
			t.Error("the order handed over here is still listed as waiting")
		}
	}
}

func TestWrongPhoneLockout(t *testing.T) {
	r := newRig(t)
	for i := range 5 {
		if _, err := r.desk.FindByNumber("W-1", "0000"); !errors.Is(err, pickup.ErrWrongPhone) {
			t.Fatalf("attempt %d: %v, want ErrWrongPhone", i+1, err)
		}
	}
	if _, err := r.desk.FindByNumber("W-1", "6789"); !errors.Is(err, pickup.ErrTooManyAttempts) {
		t.Fatalf("the right digits after 5 wrong ones: %v, want ErrTooManyAttempts", err)
	}
	if _, err := r.desk.Find(qr(t, "o1", "W-1", "s1", t0.Add(time.Hour))); err != nil {
		t.Errorf("the customer's QR still opens the locked order: %v", err)
	}
	if _, err := r.desk.FindByNumber("W-2", "6789"); err != nil {
		t.Errorf("another order is not locked: %v", err)
	}
}

func TestWaiting(t *testing.T) {
	r := newRig(t)
	l, err := r.desk.Waiting()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range l.Orders {
		got = append(got, o.Number)
	}
	// Overdue first (expired W-8, then W-7 ready 5 days), then the longest waiting; collected, cancelled and
	// foreign orders are not listed.
	if strings.Join(got, " ") != "W-8 W-7 W-2 W-1 W-3" || l.Overdue != 2 || l.ExpiringToday != 1 {
		t.Fatalf("Waiting = %v, overdue %d, expiring today %d", got, l.Overdue, l.ExpiringToday)
	}
	o := l.Orders[2]
	if o.Total != 59990+18738 || o.Prepaid != 0 || o.Due() != o.Total || o.Lines[1].Unit == 0 {
		t.Errorf("W-2 = %+v", o)
	}
}

func FuzzFind(f *testing.F) {
	r := newRig(f)
	for _, c := range findCases(f) {
		f.Add(c.text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		v, err := r.desk.Find(text)
		if (v == nil) == (err == nil) {
			t.Fatalf("Find(%q) = %v, %v: want exactly one", text, v, err)
		}
		if err == nil && (v.Order.Store != "s1" || v.Order.State != pickup.StateReady) {
			t.Fatalf("Find(%q) opened %+v", text, v.Order)
		}
	})
}
