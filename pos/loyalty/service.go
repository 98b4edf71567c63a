package loyalty

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/sync/wire"
)

// Directory is the terminal's copy of the customers feed and of its own unconfirmed loyalty events;
// pos/store implements it.
type Directory interface {
	CustomerByCard(card string) (wire.Customer, error)
	CustomerByPhoneHash(hash string) (wire.Customer, error)
	CustomerByID(id string) (wire.Customer, error)
	// HasCustomers reports whether any customer has been pulled at all.
	HasCustomers() (bool, error)
	// UnsettledLoyalty is what this terminal spent and credited for the customer that the pulled balance
	// does not include yet.
	UnsettledLoyalty(customer string) (redeemed, earned pos.Money, err error)
}

// Config wires a Service.
type Config struct {
	Directory Directory
	// NotFound is the Directory's error for a customer it does not hold (store.ErrNotFound), checked with
	// errors.Is.
	NotFound error
	Rules    Rules
	// CardPrefixes are the chain's card ranges (see barcode.LoyaltyRecognizer); none means
	// barcode.DefaultLoyaltyCardPrefix.
	CardPrefixes []string
	// QRKeys finds the key of an app code's key id; nil refuses every app code.
	QRKeys func(kid string) (key []byte, ok bool)
	// PhoneKey hashes a dictated phone the way the CRM export did (wire.PhoneHash); nil refuses phones.
	PhoneKey []byte
	Now      func() time.Time // defaults to time.Now
	// Online reports whether the hub is in reach; nil means never, so the offline limit always applies.
	Online func() bool
}

// Service recognises customers and answers the programme's rules. It is safe for concurrent use if its
// Directory is.
type Service struct {
	cfg  Config
	card barcode.Recognizer
}

// New checks cfg and returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Directory == nil || cfg.NotFound == nil {
		return nil, errors.New("loyalty: a directory and its not-found error are required")
	}
	if err := cfg.Rules.Validate(); err != nil {
		return nil, fmt.Errorf("loyalty: %w", err)
	}
	if len(cfg.CardPrefixes) == 0 {
		cfg.CardPrefixes = []string{barcode.DefaultLoyaltyCardPrefix}
	}
	card, err := barcode.LoyaltyRecognizer(cfg.CardPrefixes)
	if err != nil {
		return nil, fmt.Errorf("loyalty: %w", err)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg, card: card}, nil
}

// Recognizer claims the programme's cards and app codes for the till's barcode classifier.
func (s *Service) Recognizer() barcode.Recognizer { return s.card }

// Rules are the programme's terms.
func (s *Service) Rules() Rules { return s.cfg.Rules }

// Offline reports whether the hub is out of reach, so the offline limit applies.
func (s *Service) Offline() bool { return s.cfg.Online == nil || !s.cfg.Online() }

// Identify recognises the customer from what was scanned or typed: a card of the chain's range, the app's
// signed QR code (checked offline: signature, key id, expiry), or a phone number in any usual writing.
func (s *Service) Identify(text string) (Customer, error) {
	text = strings.TrimSpace(text)
	code, ok, err := s.card(text)
	switch {
	case err != nil:
		return Customer{}, fmt.Errorf("%w: %w", ErrBadCard, err)
	case ok && code.Kind == barcode.KindLoyaltyQR:
		return s.byAppQR(text)
	case ok:
		return s.byCard(code.Item)
	}
	phone, err := wire.NormalizePhone(text)
	if err != nil {
		return Customer{}, fmt.Errorf("%w: %q", ErrBadPhone, text)
	}
	return s.byPhone(phone)
}

func (s *Service) byCard(card string) (Customer, error) {
	w, err := s.cfg.Directory.CustomerByCard(card)
	c, err := s.found(w, err, ErrUnknownCard)
	if err != nil {
		return Customer{}, err
	}
	c.Via, c.Card = ViaCard, card
	return c, nil
}

func (s *Service) byPhone(phone string) (Customer, error) {
	if len(s.cfg.PhoneKey) == 0 {
		return Customer{}, fmt.Errorf("%w: no phone key configured", ErrUnknownPhone)
	}
	hash, err := wire.PhoneHash(s.cfg.PhoneKey, phone)
	if err != nil {
		return Customer{}, fmt.Errorf("%w: %w", ErrBadPhone, err)
	}
	w, err := s.cfg.Directory.CustomerByPhoneHash(hash)
	c, err := s.found(w, err, ErrUnknownPhone)
	if err != nil {
		return Customer{}, err
	}
	c.Via, c.Phone = ViaPhone, phone
	return c, nil
}

func (s *Service) byAppQR(text string) (Customer, error) {
	keys := s.cfg.QRKeys
	if keys == nil {
		keys = func(string) ([]byte, bool) { return nil, false }
	}
	q, err := wire.VerifyLoyaltyQR(text, keys, s.cfg.Now())
	switch {
	case errors.Is(err, wire.ErrQRExpired):
		return Customer{}, fmt.Errorf("%w: %w", ErrQRExpired, err)
	case errors.Is(err, wire.ErrQRSignature):
		return Customer{}, fmt.Errorf("%w: %w", ErrQRForged, err)
	case errors.Is(err, wire.ErrQRKey):
		return Customer{}, fmt.Errorf("%w: %w", ErrQRKey, err)
	case err != nil:
		return Customer{}, fmt.Errorf("%w: %w", ErrQRMalformed, err)
	}
	w, err := s.cfg.Directory.CustomerByID(q.Customer)
	c, err := s.found(w, err, ErrUnknownCustomer)
	if err != nil {
		return Customer{}, err
	}
	c.Via = ViaAppQR
	return c, nil
}

// Refresh reads a recognised customer again (after a pull or a sale), keeping how they were recognised.
func (s *Service) Refresh(c Customer) (Customer, error) {
	w, err := s.cfg.Directory.CustomerByID(c.ID)
	fresh, err := s.found(w, err, ErrUnknownCustomer)
	if err != nil {
		return c, err
	}
	fresh.Via, fresh.Card, fresh.Phone = c.Via, c.Card, c.Phone
	return fresh, nil
}

// found turns a directory answer into a Customer with this terminal's unconfirmed points; a miss is
// unknown, or ErrNoCustomers when nothing was ever pulled.
func (s *Service) found(w wire.Customer, err error, unknown error) (Customer, error) {
	if errors.Is(err, s.cfg.NotFound) {
		if some, herr := s.cfg.Directory.HasCustomers(); herr == nil && !some {
			return Customer{}, ErrNoCustomers
		}
		return Customer{}, unknown
	}
	if err != nil {
		return Customer{}, fmt.Errorf("loyalty: find customer: %w", err)
	}
	c := Customer{ID: w.ID, Name: w.Name, Tier: w.Tier, Balance: pos.Money(w.Balance),
		Offers: append([]string(nil), w.Offers...), Personal: personalOffers(w.PersonalOffers)}
	if c.Unsettled, c.Pending, err = s.cfg.Directory.UnsettledLoyalty(w.ID); err != nil {
		return Customer{}, fmt.Errorf("loyalty: unconfirmed points of %s: %w", w.ID, err)
	}
	return c, nil
}
