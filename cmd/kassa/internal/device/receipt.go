package device

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/cart"
)

// testReceipt fiscalises a real receipt of the given items through the same adapter the till uses.
func (s *session) testReceipt(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("test-receipt", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cashArg := fs.String("cash", "", "cash tendered (default: the total)")
	cardArg := fs.String("card", "", "card amount")
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 {
		return fmt.Errorf("%w: test-receipt [--cash SUM] [--card SUM] name:price:qty[:vat] …", ErrUsage)
	}
	c := cart.New()
	for i, spec := range fs.Args() {
		p, qty, err := parseItem(spec)
		if err != nil {
			return err
		}
		p.ID = fmt.Sprintf("test-%d", i+1)
		if _, err := c.Add(p, qty, ""); err != nil {
			return fmt.Errorf("item %q: %w", spec, err)
		}
	}
	tot := c.Totals()
	var payments []pos.Payment
	card, err := optionalMoney(*cardArg)
	if err != nil {
		return err
	}
	cash, err := optionalMoney(*cashArg)
	if err != nil {
		return err
	}
	if card > 0 {
		payments = append(payments, pos.Payment{Method: pos.PayCard, Amount: card})
	}
	if cash == 0 && card < tot.Total {
		cash = tot.Total - card
	}
	if cash > 0 {
		payments = append(payments, pos.Payment{Method: pos.PayCash, Amount: cash})
	}
	change, err := cart.Settle(tot.Total, payments)
	if err != nil {
		return err
	}
	sale := pos.Sale{ID: uuid.Must(uuid.NewV7()).String(), CreatedAt: time.Now(), Lines: c.Lines(),
		Total: tot.Total, VAT: tot.VAT, Payments: payments, Change: change}
	res, err := s.reg.Fiscal.Fiscalise(ctx, sale)
	if err != nil {
		return explain(err)
	}
	fmt.Fprintf(s.out, "Чек пробит: итог %s ₽, сдача %s ₽, ФД %d, ФП %d\nQR: %s\n", tot.Total, change,
		res.FDNumber, res.FiscalSign, res.QR(tot.Total))
	return nil
}

// parseItem reads name:price:qty[:vat], e.g. "Хлеб:55,00:2:10" or "Яблоки:149,90:0,734:10".
func parseItem(spec string) (pos.Product, pos.Qty, error) {
	f := strings.Split(spec, ":")
	if len(f) < 3 || len(f) > 4 || strings.TrimSpace(f[0]) == "" {
		return pos.Product{}, 0, fmt.Errorf("%w: item %q is not name:price:qty[:vat]", ErrUsage, spec)
	}
	price, err := pos.ParseMoney(f[1])
	if err != nil {
		return pos.Product{}, 0, fmt.Errorf("%w: item %q: %w", ErrUsage, spec, err)
	}
	qty, err := pos.ParseQty(f[2])
	if err != nil {
		return pos.Product{}, 0, fmt.Errorf("%w: item %q: %w", ErrUsage, spec, err)
	}
	p := pos.Product{Name: strings.TrimSpace(f[0]), Price: price, VAT: pos.VAT22}
	if !qty.Whole() {
		p.Unit = pos.UnitKg
	}
	if len(f) == 4 {
		if p.VAT, err = pos.ParseVATRate(f[3]); err != nil {
			return pos.Product{}, 0, fmt.Errorf("%w: item %q: %w", ErrUsage, spec, err)
		}
	}
	return p, qty, nil
}

func optionalMoney(s string) (pos.Money, error) {
	if s == "" {
		return 0, nil
	}
	m, err := pos.ParseMoney(s)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrUsage, err)
	}
	return m, nil
}

var docTypes = map[byte]string{
	kkt.DocRegistration: "отчёт о регистрации", kkt.DocShiftOpen: "отчёт об открытии смены",
	kkt.DocReceipt: "кассовый чек", kkt.DocShiftClose: "отчёт о закрытии смены",
}

var opTypes = map[byte]string{kkt.OpIncome: "приход", kkt.OpIncomeReturn: "возврат прихода",
	kkt.OpExpense: "расход", kkt.OpExpenseReturn: "возврат расхода"}

// lastDoc shows the last document of the ФН archive and, for a sale receipt, its ФНС QR string.
func (s *session) lastDoc(ctx context.Context, _ []string) error {
	st, err := s.drv.FNStatus(ctx)
	if err != nil {
		return explain(err)
	}
	if st.LastFD == 0 {
		fmt.Fprintln(s.out, "В ФН нет документов")
		return nil
	}
	d, err := s.drv.FindDocument(ctx, st.LastFD)
	if err != nil {
		return explain(err)
	}
	kind := docTypes[d.Type]
	if kind == "" {
		kind = fmt.Sprintf("тип %d", d.Type)
	}
	fmt.Fprintf(s.out, "ФД %d: %s, %s, ФП %d\n", d.FDNumber, kind, d.Time.Format("02.01.2006 15:04"), d.FiscalSign)
	if d.Type == kkt.DocReceipt {
		fmt.Fprintf(s.out, "%s на %s ₽\n", opTypes[d.OpType], pos.Money(d.Sum))
		if d.OpType == kkt.OpIncome {
			f := pos.FiscalResult{FDNumber: d.FDNumber, FiscalSign: d.FiscalSign, FNSerial: st.Serial, At: d.Time}
			fmt.Fprintln(s.out, "QR: "+f.QR(pos.Money(d.Sum)))
		}
	}
	return nil
}
