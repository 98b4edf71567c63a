package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kassa-pos/kassa/pos"
)

func TestBuyerContact(t *testing.T) {
	for _, c := range []struct {
		name    string
		payment bool     // F9 in the payment dialog rather than on the till
		typed   []string // each typed into the F9 dialog and Enter
		want    string   // the contact the sale carries
		status  string   // what the dialog says when it stays open
	}{
		{name: "phone typed with 8", typed: []string{"8 (916) 123-45-67"}, want: "+79161234567"},
		{name: "e-mail", typed: []string{"Ivanova@Mail.RU"}, want: "Ivanova@mail.ru"},
		{name: "a mistake, then the phone", typed: []string{"12345", "9161234567"}, want: "+79161234567"},
		{name: "not a contact", typed: []string{"ivanova@mail"}, status: "не номер мобильного телефона"},
		{name: "from the payment dialog", payment: true, typed: []string{"+7 916 123 45 67"}, want: "+79161234567"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newFiscalRig(t, nil)
			r.scan("4607001771401")
			if c.payment {
				r.screen.Input().TypedRune('+')
			}
			r.focusedEntry(t).TypedKey(&fyne.KeyEvent{Name: fyne.KeyF9})
			if !c.payment { // F9 on the till is the customer; F9 again there is the electronic receipt
				r.focusedEntry(t).TypedKey(&fyne.KeyEvent{Name: fyne.KeyF9})
			}
			e := r.focusedEntry(t)
			for _, s := range c.typed {
				e.SetText("")
				test.Type(e, s)
				e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			}
			if c.status != "" {
				if msg := textsOf(r.w.Canvas().Overlays().Top()); !strings.Contains(msg, c.status) {
					t.Errorf("the dialog does not say %q:\n%s", c.status, msg)
				}
				e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
				if r.screen.buyerLabel.Visible() {
					t.Error("a contact is shown")
				}
				return
			}
			if !r.screen.buyerLabel.Visible() || !strings.Contains(r.screen.buyerLabel.Text, c.want) {
				t.Errorf("totals show %q (visible %v), want %s", r.screen.buyerLabel.Text, r.screen.buyerLabel.Visible(), c.want)
			}
			if c.payment { // back in the payment dialog, which shows the contact
				if msg := textsOf(r.w.Canvas().Overlays().Top()); !strings.Contains(msg, "Эл. чек: "+c.want) {
					t.Errorf("the payment dialog does not show the contact:\n%s", msg)
				}
				r.focusedEntry(t).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
				r.waitIdle(t)
			} else {
				r.payCash(t)
			}
			sales, err := r.store.RecentSales(1)
			if err != nil || len(sales) != 1 || sales[0].Buyer != c.want || sales[0].Status != pos.SaleFiscalised {
				t.Fatalf("journal = %+v, %v", sales, err)
			}
			if !strings.Contains(r.dev.Tape(), c.want) {
				t.Errorf("the receipt does not carry %s:\n%s", c.want, r.dev.Tape())
			}
			if r.screen.buyerLabel.Visible() {
				t.Error("the contact is still shown for the next customer")
			}
		})
	}
}
