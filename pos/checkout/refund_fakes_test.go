package checkout

import "github.com/kassa-pos/kassa/pos"

// SaleByReceipt and RefundsOf make memStore a RefundJournal: linear scans, fine for a test's few sales.

func (m *memStore) SaleByReceipt(fn string, fd uint32) (pos.Sale, bool, error) {
	for i := len(m.order) - 1; i >= 0; i-- {
		s := m.sales[m.order[i]]
		if s.Fiscal != nil && s.Fiscal.FNSerial == fn && s.Fiscal.FDNumber == fd {
			return s, true, nil
		}
	}
	return pos.Sale{}, false, nil
}

func (m *memStore) RefundsOf(id string) ([]pos.Sale, error) {
	var out []pos.Sale
	for _, sid := range m.order {
		if s := m.sales[sid]; s.Kind == pos.KindRefund && s.RefundOf == id && s.Status != pos.SaleCancelled {
			out = append(out, s)
		}
	}
	return out, nil
}
