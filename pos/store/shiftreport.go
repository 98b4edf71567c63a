package store

import (
	"encoding/json"
	"fmt"

	"github.com/kassa-pos/kassa/pos"
	"go.etcd.io/bbolt"
)

// ShiftReport is a shift as the journal saw it: what a shift summary slip prints. Only fiscalised receipts
// count in Sales and Refunds; the others are only counted, since no money changed hands for certain.
type ShiftReport struct {
	Shift     pos.Shift
	Sales     TenderTotals // receipts of kind pos.KindSale (приход)
	Refunds   TenderTotals // receipts of kind pos.KindRefund (возврат прихода)
	Pending   int          // sales whose fate the register has not told yet
	Cancelled int          // sales the register provably never fiscalised
	// FirstFD and LastFD bound the fiscal documents the shift's receipts span in the ФН: the first one
	// after the register's last document before the earliest receipt, and the latest receipt. Every
	// document between them belongs to the shift, so the register's side of the shift can be read back
	// and compared. Both are zero without a fiscalised receipt.
	FirstFD, LastFD uint32
	// Cash is the shift's внесения and изъятия registered on the register (cashops.go); a pending one
	// (outcome unknown) is only counted in Cash.Pending.
	Cash CashTotals
}

// CashTotals sums a shift's cash operations.
type CashTotals struct {
	InCount, OutCount int
	In, Out           pos.Money
	Pending           int
}

// ExpectedCash is the cash the drawer should hold from this shift's receipts and cash operations (the
// float carried from before the shift, if any, is put in by a внесение).
func (r ShiftReport) ExpectedCash() pos.Money { return r.NetCash() + r.Cash.In - r.Cash.Out }

// TenderTotals sums receipts of one kind. Cash is the cash that changed hands (tendered minus change),
// so that for sales it is what the drawer gained and for refunds what it paid out.
type TenderTotals struct {
	Count   int
	Total   pos.Money
	Cash    pos.Money
	Card    pos.Money
	Prepaid pos.Money
}

func (t *TenderTotals) add(s pos.Sale) {
	t.Count++
	t.Total += s.Total
	t.Cash += s.Paid(pos.PayCash) - s.Change
	t.Card += s.Paid(pos.PayCard)
	t.Prepaid += s.Paid(pos.PayPrepaid)
}

// Net is what the shift took: sales minus refunds.
func (r ShiftReport) Net() pos.Money { return r.Sales.Total - r.Refunds.Total }

// NetCash is the cash the drawer should hold from receipts: cash sales minus cash refunds.
func (r ShiftReport) NetCash() pos.Money { return r.Sales.Cash - r.Refunds.Cash }

// ShiftReport reads a shift and its sales from the journal, without writing anything. A shift that was
// never opened gives an error wrapping ErrNotFound.
//
// The journal is walked from its newest sale back. A sale is begun in the open shift and shifts are
// numbered upwards, so shift numbers never decrease along the journal: the walk stops at the first sale
// of an earlier shift, and a report of the current shift reads only that shift's sales.
func (s *Store) ShiftReport(number int) (ShiftReport, error) {
	var r ShiftReport
	err := s.view(func(tx *bbolt.Tx) error {
		shifts, err := bucket(tx, bktShifts)
		if err != nil {
			return err
		}
		v := shifts.Get(shiftKey(number))
		if v == nil {
			return fmt.Errorf("shift %d: %w", number, ErrNotFound)
		}
		if err := json.Unmarshal(v, &r.Shift); err != nil {
			return fmt.Errorf("%w: shift %d: %w", ErrCorrupt, number, err)
		}
		j, err := openJournal(tx)
		if err != nil {
			return err
		}
		err = j.newestFirst(func(sale pos.Sale) (bool, error) {
			if sale.Shift == number {
				r.count(sale)
			}
			return sale.Shift >= number, nil // the journal is in shift order: older shifts end the walk
		})
		if err != nil {
			return err
		}
		ops, err := shiftCashOps(tx, number)
		for _, op := range ops {
			r.Cash.add(op)
		}
		return err
	})
	if err != nil {
		return ShiftReport{}, fmt.Errorf("store: shift %d report: %w", number, err)
	}
	return r, nil
}

func (r *ShiftReport) count(s pos.Sale) {
	switch s.Status {
	case pos.SalePending:
		r.Pending++
		return
	case pos.SaleCancelled:
		r.Cancelled++
		return
	}
	if s.Kind == pos.KindRefund {
		r.Refunds.add(s)
	} else {
		r.Sales.add(s)
	}
	if s.Fiscal == nil || s.Fiscal.FDNumber == 0 {
		return
	}
	fd := s.Fiscal.FDNumber
	first := fd
	// FDBefore is zero where a writer did not ask the register first: then only this receipt is known.
	if s.FDBefore > 0 && s.FDBefore < fd {
		first = s.FDBefore + 1
	}
	if r.FirstFD == 0 || first < r.FirstFD {
		r.FirstFD = first
	}
	r.LastFD = max(r.LastFD, fd)
}

func (t *CashTotals) add(op CashOp) {
	switch {
	case op.Status == pos.SalePending:
		t.Pending++
	case op.Status != pos.SaleFiscalised:
	case op.Kind == CashIn:
		t.InCount++
		t.In += op.Amount
	default:
		t.OutCount++
		t.Out += op.Amount
	}
}
