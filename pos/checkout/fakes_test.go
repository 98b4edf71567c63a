package checkout

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

// memStore is an in-memory Store for the use-case tests; pos/store is tested against bbolt on its own,
// and the crash tests run the real one.
type memStore struct {
	products []pos.Product
	sales    map[string]pos.Sale
	order    []string
	events   []string // outbox: one entry per event, "type:id"
	shifts   []pos.Shift
	deferred []pos.DeferredReceipt
}

func newMemStore(ps ...pos.Product) *memStore {
	return &memStore{products: ps, sales: map[string]pos.Sale{}}
}

func (m *memStore) find(match func(pos.Product) bool) (pos.Product, error) {
	for _, p := range m.products {
		if match(p) {
			return p, nil
		}
	}
	return pos.Product{}, pos.ErrProductNotFound
}

func (m *memStore) ProductByBarcode(code string) (pos.Product, error) {
	return m.find(func(p pos.Product) bool { return slices.Contains(p.Barcodes, code) })
}

func (m *memStore) ProductByPLU(plu string) (pos.Product, error) {
	return m.find(func(p pos.Product) bool { return p.PLU != "" && p.PLU == plu })
}

func (m *memStore) SearchProducts(q string, limit int) ([]pos.Product, error) {
	var out []pos.Product
	for _, p := range m.products {
		if p.ID == q || strings.Contains(strings.ToLower(p.Name), strings.ToLower(q)) {
			out = append(out, p)
		}
	}
	return out, nil
}

func (m *memStore) BeginSale(s pos.Sale) error {
	if _, dup := m.sales[s.ID]; dup {
		return fmt.Errorf("duplicate sale %s", s.ID)
	}
	m.sales[s.ID] = s
	m.order = append(m.order, s.ID)
	return nil
}

func (m *memStore) CompleteSale(id string, f pos.FiscalResult) (pos.Sale, error) {
	s, ok := m.sales[id]
	if !ok {
		return pos.Sale{}, fmt.Errorf("no sale %s", id)
	}
	if s.Status == pos.SaleFiscalised {
		return s, nil
	}
	s.Status, s.Fiscal = pos.SaleFiscalised, &f
	m.sales[id] = s
	m.events = append(m.events, "sale:"+id)
	return s, nil
}

func (m *memStore) CancelSale(id, note string) error {
	s := m.sales[id]
	s.Status, s.Note = pos.SaleCancelled, note
	m.sales[id] = s
	return nil
}

func (m *memStore) PendingSales() ([]pos.Sale, error) {
	var out []pos.Sale
	for _, id := range m.order {
		if m.sales[id].Status == pos.SalePending {
			out = append(out, m.sales[id])
		}
	}
	return out, nil
}

func (m *memStore) OpenShift(sh pos.Shift) error {
	m.shifts = append(m.shifts, sh)
	m.events = append(m.events, fmt.Sprintf("shift_open:%d", sh.Number))
	return nil
}

func (m *memStore) CloseShift(n int, at time.Time) error {
	m.shifts[len(m.shifts)-1].ClosedAt = at
	m.events = append(m.events, fmt.Sprintf("shift_close:%d", n))
	return nil
}

func (m *memStore) CurrentShift() (pos.Shift, bool, error) {
	if len(m.shifts) == 0 {
		return pos.Shift{}, false, nil
	}
	return m.shifts[len(m.shifts)-1], true, nil
}

func (m *memStore) SaveDeferred(d pos.DeferredReceipt) error {
	m.deferred = append(m.deferred, d)
	return nil
}

func (m *memStore) DeferredReceipts() ([]pos.DeferredReceipt, error) { return m.deferred, nil }

func (m *memStore) TakeDeferred(id string) (pos.DeferredReceipt, error) {
	for i, d := range m.deferred {
		if d.ID == id {
			m.deferred = slices.Delete(m.deferred, i, i+1)
			return d, nil
		}
	}
	return pos.DeferredReceipt{}, fmt.Errorf("no deferred %s", id)
}

// fakeRegister is a register whose failures a test scripts.
type fakeRegister struct {
	shiftOpen, expired, receiptOpen bool
	docs                            []pos.FiscalDocument // index = FD number − 1
	offline                         bool
	// failNext makes the next Fiscalise fail: "refuse" (not fiscalised), "lose" (fiscalised, answer lost),
	// "drop" (never got it, answer lost), "open" (left a receipt open, answer lost).
	failNext   string
	fiscalised int
}

func (r *fakeRegister) State(ctx context.Context) (pos.RegisterState, error) {
	if r.offline {
		return pos.RegisterState{}, pos.ErrRegisterOffline
	}
	return pos.RegisterState{ShiftOpen: r.shiftOpen, ShiftExpired: r.expired, ReceiptOpen: r.receiptOpen,
		LastFD: uint32(len(r.docs)), FNSerial: "9999078900001234"}, nil
}

func (r *fakeRegister) FindDocument(ctx context.Context, fd uint32) (pos.FiscalDocument, error) {
	if r.offline {
		return pos.FiscalDocument{}, pos.ErrRegisterOffline
	}
	if fd == 0 || int(fd) > len(r.docs) {
		return pos.FiscalDocument{}, fmt.Errorf("no document %d", fd)
	}
	return r.docs[fd-1], nil
}

func (r *fakeRegister) OpenShift(ctx context.Context, cashier string) error {
	r.shiftOpen = true
	r.docs = append(r.docs, pos.FiscalDocument{FDNumber: uint32(len(r.docs) + 1)})
	return nil
}

func (r *fakeRegister) CloseShift(ctx context.Context) error {
	r.shiftOpen, r.expired = false, false
	r.docs = append(r.docs, pos.FiscalDocument{FDNumber: uint32(len(r.docs) + 1)})
	return nil
}

func (r *fakeRegister) CancelReceipt(ctx context.Context) error {
	if r.offline {
		return pos.ErrRegisterOffline
	}
	r.receiptOpen = false
	return nil
}

func (r *fakeRegister) Fiscalise(ctx context.Context, s pos.Sale) (pos.FiscalResult, error) {
	if r.offline {
		return pos.FiscalResult{}, pos.ErrRegisterOffline
	}
	fail := r.failNext
	r.failNext = ""
	switch fail {
	case "refuse":
		return pos.FiscalResult{}, fmt.Errorf("%w: %w", pos.ErrNotFiscalised, pos.ErrPaperOut)
	case "drop":
		return pos.FiscalResult{}, pos.ErrOutcomeUnknown
	case "open":
		r.receiptOpen = true
		return pos.FiscalResult{}, pos.ErrOutcomeUnknown
	}
	fd := uint32(len(r.docs) + 1)
	doc := pos.FiscalDocument{FDNumber: fd, FiscalSign: 1000 + fd, SaleReceipt: s.Kind != pos.KindRefund,
		RefundReceipt: s.Kind == pos.KindRefund, Sum: s.Total,
		At: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	r.docs = append(r.docs, doc)
	r.fiscalised++
	if fail == "lose" {
		return pos.FiscalResult{}, pos.ErrOutcomeUnknown
	}
	return pos.FiscalResult{FDNumber: fd, FiscalSign: doc.FiscalSign, FNSerial: "9999078900001234", At: doc.At}, nil
}
