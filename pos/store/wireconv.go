package store

import (
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
)

func (s *Store) terminalOf(fallback string) string {
	if s.terminal != "" {
		return s.terminal
	}
	return fallback
}

func unitCode(u pos.Unit) string {
	if u == pos.UnitKg {
		return "kg"
	}
	return "pcs"
}

// wireSale is the payload of a sale or refund event: the fiscalised lines only (cancelled ones never
// reached the ККТ, a refund's lines not returned have no quantity) and the ФНС receipt QR. The sale must carry its Fiscal result.
func (s *Store) wireSale(sale pos.Sale) wire.Sale {
	active := sale.ActiveLines()
	w := wire.Sale{
		ID: sale.ID, Terminal: sale.Terminal, Cashier: sale.Cashier, Shift: sale.Shift,
		CreatedAt: sale.CreatedAt, Total: int64(sale.Total), Change: int64(sale.Change),
		Lines:    make([]wire.SaleLine, 0, len(active)),
		VAT:      make([]wire.VATAmount, 0, len(sale.VAT)),
		Payments: make([]wire.Payment, 0, len(sale.Payments)),
		RefundOf: sale.RefundOf, Buyer: MaskContact(s.openBuyer(sale.Buyer)), // buyer.go
	}
	for _, o := range sale.Offers {
		w.Offers = append(w.Offers, wire.SaleOffer{ID: o.ID, Discount: int64(o.Discount)})
	}
	if w.Terminal == "" {
		w.Terminal = s.terminal
	}
	for _, l := range active {
		w.Lines = append(w.Lines, wire.SaleLine{
			ProductID: l.ProductID, Name: l.Name, Barcode: l.Barcode, Price: int64(l.Price), Qty: int64(l.Qty),
			Unit: unitCode(l.Unit), VAT: l.VAT.Code(), Discount: int64(l.Discount), Sum: int64(l.Sum),
			Marking: l.Marking,
		})
	}
	for _, v := range sale.VAT {
		w.VAT = append(w.VAT, wire.VATAmount{Rate: v.Rate.Code(), Base: int64(v.Base), Tax: int64(v.Tax)})
	}
	for _, p := range sale.Payments {
		w.Payments = append(w.Payments, wire.Payment{Method: string(p.Method), Amount: int64(p.Amount), Approval: p.Approval})
	}
	if f := sale.Fiscal; f != nil {
		w.Fiscal = wire.Fiscal{FDNumber: f.FDNumber, FiscalSign: f.FiscalSign, FNSerial: f.FNSerial, At: f.At,
			QR: f.QRFor(sale.Kind, sale.Total)}
	}
	return w
}
