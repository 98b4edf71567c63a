package kiosk

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

// Errors of the kiosk basket.
var (
	ErrBasketFull  = errors.New("kiosk: the basket is full")
	ErrLineQty     = errors.New("kiosk: at most 99 pieces of a product")
	ErrNotSellable = errors.New("kiosk: weighed goods go into a basket by their weight label only")
	ErrNoSigner    = errors.New("kiosk: this stand makes no basket qr codes")
	ErrEmptyBasket = errors.New("kiosk: the basket is empty")
)

// Basket bounds: as many lines as a basket QR holds (sync/wire.MaxBasketItems) and 99 pieces (or 99 kg of
// weighed goods) a line.
const (
	MaxBasketLines = 16
	MaxLineQty     = pos.Qty(99_000)
)

// BasketSigner signs a basket as a "KB1." QR payload with the chain's key (sync/wire.SignBasketQR).
type BasketSigner interface {
	SignBasket(b Basket) (string, error)
}

// Basket is what a basket QR says: for the till of Store, until Expires, each product at its price.
type Basket struct {
	ID      string
	Store   string
	Items   []BasketLine
	Expires time.Time
}

// BasketLine is a product in the basket.
type BasketLine struct {
	Product pos.Product
	Qty     pos.Qty
	Price   pos.Money // per unit at the till, while the offer lasts
	Until   time.Time // the offer's end, when before the basket's
}

// Sum is the line at the basket's price.
func (l BasketLine) Sum() pos.Money { return l.Price.Times(l.Qty) }

// StoreSum is the line at the store's price.
func (l BasketLine) StoreSum() pos.Money { return l.Product.Price.Times(l.Qty) }

// Total is the basket at its prices.
func (b Basket) Total() pos.Money {
	var t pos.Money
	for _, l := range b.Items {
		t += l.Sum()
	}
	return t
}

// StoreTotal is the basket at the store's prices.
func (b Basket) StoreTotal() pos.Money {
	var t pos.Money
	for _, l := range b.Items {
		t += l.StoreSum()
	}
	return t
}

// Session is one customer's visit: the basket built at the stand. It lives in memory only; Clear (the
// idle reset, "new purchase") forgets it. Not safe for concurrent use: the screen owns it.
type Session struct {
	k      *Kiosk
	lines  []BasketLine
	id     string // the basket's id once a QR code was made: later QR codes of this visit keep it
	signed string // the last QR payload, while the basket has not changed
	exp    time.Time
}

// NewSession starts a visit.
func (k *Kiosk) NewSession() *Session { return &Session{k: k} }

// Lines returns the basket's lines, in the order they were added.
func (s *Session) Lines() []BasketLine { return append([]BasketLine(nil), s.lines...) }

// Count is the number of pieces in the basket; a weighed product counts as one.
func (s *Session) Count() int {
	n := 0
	for _, l := range s.lines {
		if l.Product.Weighed() {
			n++
			continue
		}
		n += int(l.Qty / pos.QtyOne)
	}
	return n
}

// Basket is the basket as a QR code would carry it now.
func (s *Session) Basket() Basket {
	b := Basket{ID: s.id, Store: s.k.cfg.Store, Items: s.Lines(), Expires: s.exp}
	return b
}

// Add puts one piece of the card's product in the basket, at the card's basket price; a weighed product
// goes in with the weight of the label it was scanned by (another label of it adds its weight). Marked
// goods go in by the piece: the till asks for each pack's code.
func (s *Session) Add(c Card) error {
	qty := pos.QtyOne
	if c.Product.Weighed() {
		qty = c.Weight
	}
	if !c.Sellable || qty <= 0 {
		return fmt.Errorf("%w: %s", ErrNotSellable, c.Product.Name)
	}
	for i := range s.lines {
		if s.lines[i].Product.ID == c.Product.ID {
			return s.SetQty(c.Product.ID, s.lines[i].Qty+qty)
		}
	}
	if len(s.lines) >= MaxBasketLines {
		return fmt.Errorf("%w: %d products", ErrBasketFull, MaxBasketLines)
	}
	if qty > MaxLineQty {
		return fmt.Errorf("%w: %s", ErrLineQty, qty)
	}
	l := BasketLine{Product: c.Product, Qty: qty, Price: c.Basket}
	if c.HasOffer && c.Basket < c.Product.Price && !c.Offer.ValidUntil.IsZero() {
		l.Until = c.Offer.ValidUntil
	}
	s.lines = append(s.lines, l)
	s.changed()
	return nil
}

// SetQty changes the pieces (the thousandths of a kilogram of a weighed product) of a product in the
// basket; zero removes it.
func (s *Session) SetQty(productID string, q pos.Qty) error {
	for i := range s.lines {
		if s.lines[i].Product.ID != productID {
			continue
		}
		switch {
		case q <= 0:
			s.lines = append(s.lines[:i], s.lines[i+1:]...)
		case q > MaxLineQty || !q.Whole() && !s.lines[i].Product.Weighed():
			return fmt.Errorf("%w: %s", ErrLineQty, q)
		default:
			s.lines[i].Qty = q
		}
		s.changed()
		return nil
	}
	return fmt.Errorf("%w: %s is not in the basket", pos.ErrLineNotFound, productID)
}

func (s *Session) changed() { s.signed = "" }

// Clear forgets the visit.
func (s *Session) Clear() { *s = Session{k: s.k} }

// QR signs the basket for the store's tills and returns its payload; the first QR code of a visit is
// reported as a basket created. Asking again without a change returns the same code.
func (s *Session) QR() (Basket, string, error) {
	if len(s.lines) == 0 {
		return Basket{}, "", ErrEmptyBasket
	}
	if s.k.cfg.Signer == nil {
		return Basket{}, "", ErrNoSigner
	}
	if s.signed != "" {
		return s.Basket(), s.signed, nil
	}
	first := s.id == ""
	if first {
		s.id = s.k.cfg.NewID()
	}
	now := s.k.cfg.Clock.Now()
	s.exp = now.Add(s.k.cfg.BasketTTL).Truncate(time.Second)
	b := s.Basket()
	for i := range b.Items {
		if !b.Items[i].Until.IsZero() && !b.Items[i].Until.Before(b.Expires) {
			b.Items[i].Until = time.Time{} // the offer outlasts the basket
		}
	}
	payload, err := s.k.cfg.Signer.SignBasket(b)
	if err != nil {
		return Basket{}, "", fmt.Errorf("kiosk: sign basket: %w", err)
	}
	s.signed = payload
	if first {
		s.k.record(pos.ChannelEvent{Kind: pos.ChannelBasketCreated, Basket: s.id, Amount: b.Total()})
	}
	return b, payload, nil
}

// OnlineURL is the "continue online" link of the whole basket; showing it is reported.
func (s *Session) OnlineURL() (string, error) {
	if len(s.lines) == 0 {
		return "", ErrEmptyBasket
	}
	if s.id == "" {
		s.id = s.k.cfg.NewID()
	}
	items := make([]string, len(s.lines))
	for i, l := range s.lines {
		items[i] = l.Product.ID + ":" + qtyParam(l.Qty)
	}
	u := expand(s.k.cfg.BasketURL, map[string]string{"basket": s.id, "items": strings.Join(items, ","),
		"store": s.k.cfg.Store})
	s.k.record(pos.ChannelEvent{Kind: pos.ChannelContinueOnline, Basket: s.id})
	return u, nil
}

// qtyParam writes a quantity for a link: pieces as "2", a weight as "0.755" kilograms.
func qtyParam(q pos.Qty) string {
	if q.Whole() {
		return strconv.FormatInt(int64(q/pos.QtyOne), 10)
	}
	return strings.TrimRight(fmt.Sprintf("%d.%03d", q/pos.QtyOne, q%pos.QtyOne), "0")
}

// randomID is a basket id: 16 characters of base32 from 80 random bits, unguessable and short in a QR.
func randomID() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}
