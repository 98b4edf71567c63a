package hub

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/sync/wire"
)

// Basket lifetimes: a day unless the request says, at most a week (an offer's own end comes first).
const (
	DefaultBasketTTL = 24 * time.Hour
	MaxBasketTTL     = 7 * 24 * time.Hour
)

// ErrNoSigningKey: the hub has no QR key to sign with ([pickup] key in its config).
var ErrNoSigningKey = errors.New("no qr signing key configured")

// BasketStore is what signing a basket reads: the store's catalog and offers.
type BasketStore interface {
	FindProduct(ctx context.Context, store, code string) (wire.Product, error)
	// FindOffer returns the store's offer of a product, ok false when it has none.
	FindOffer(ctx context.Context, store, productID string) (o wire.Offer, ok bool, err error)
}

// FindOffer reads a product's offer from the store's offers feed.
func (s *Storage) FindOffer(ctx context.Context, store, productID string) (wire.Offer, bool, error) {
	var o wire.Offer
	found := false
	err := s.view(ctx, func(tx *bolt.Tx) error {
		f, err := openScope(tx, wire.FeedOffers, store, false)
		if err != nil {
			return err
		}
		data, ok := f.get(productID)
		if !ok {
			return nil
		}
		found = true
		return json.Unmarshal(data, &o)
	})
	if err != nil {
		return wire.Offer{}, false, fmt.Errorf("offer of %q at %q: %w", productID, store, err)
	}
	return o, found, nil
}

// BuildBasket prices a web shop's or app's basket for a store's tills: products resolved in the store's
// catalog (a product named twice is one line), each at its offer price (wire.Offer.OfferPrice), the item's
// offer end kept when it comes before the basket's. Weighed goods (weighed at the till) and marked goods
// (sold by the code on each pack) cannot be in a basket. A request that breaks a rule is an error wrapping
// ErrInvalid; an unknown product wraps ErrNotFound.
func BuildBasket(ctx context.Context, st BasketStore, req wire.BasketRequest, now time.Time) (wire.BasketQR, []wire.BasketPrice, error) {
	bad := func(format string, a ...any) (wire.BasketQR, []wire.BasketPrice, error) {
		return wire.BasketQR{}, nil, fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
	}
	if !validName(req.Store) {
		return bad("store: want a store name")
	}
	if req.Source != wire.BasketFromWeb && req.Source != wire.BasketFromApp {
		return bad("source: want web or app")
	}
	if len(req.Items) == 0 || len(req.Items) > wire.MaxBasketItems {
		return bad("items: want 1 to %d", wire.MaxBasketItems)
	}
	ttl := DefaultBasketTTL
	if req.TTLMinutes != 0 {
		ttl = time.Duration(req.TTLMinutes) * time.Minute
		if req.TTLMinutes < 0 || ttl > MaxBasketTTL {
			return bad("ttl_minutes: want 1 to %d", int(MaxBasketTTL/time.Minute))
		}
	}
	b := wire.BasketQR{Store: req.Store, Source: req.Source, Expires: now.UTC().Add(ttl).Truncate(time.Second)}
	var prices []wire.BasketPrice
	index := map[string]int{}
	for i, it := range req.Items {
		if (it.Barcode == "") == (it.ProductID == "") {
			return bad("items[%d]: give a barcode or a product_id", i)
		}
		if it.Qty <= 0 || it.Qty > wire.MaxBasketQty {
			return bad("items[%d]: qty must be 1 to %d thousandths", i, wire.MaxBasketQty)
		}
		code := it.Barcode + it.ProductID
		p, err := st.FindProduct(ctx, req.Store, code)
		if errors.Is(err, ErrNotFound) {
			return wire.BasketQR{}, nil, fmt.Errorf("items[%d]: product %q is not in the catalog of store %s: %w", i, code, req.Store, ErrNotFound)
		}
		if err != nil {
			return wire.BasketQR{}, nil, err
		}
		switch {
		case p.Unit == "kg":
			return bad("items[%d]: %s is weighed at the till", i, p.ID)
		case p.Marked:
			return bad("items[%d]: %s is marked goods, sold by the code on each pack", i, p.ID)
		case it.Qty%1000 != 0:
			return bad("items[%d]: %s is sold by the piece, qty %d is not whole", i, p.ID, it.Qty)
		}
		if k, dup := index[p.ID]; dup {
			b.Items[k].Qty += it.Qty
			prices[k].Qty += it.Qty
			if b.Items[k].Qty > wire.MaxBasketQty {
				return bad("items[%d]: %s adds up to more than %d thousandths", i, p.ID, wire.MaxBasketQty)
			}
			continue
		}
		o, hasOffer, err := st.FindOffer(ctx, req.Store, p.ID)
		if err != nil {
			return wire.BasketQR{}, nil, err
		}
		item := wire.BasketItem{ProductID: p.ID, Qty: it.Qty, Price: p.Price}
		if hasOffer {
			item.Price = o.OfferPrice(p.Price)
			if item.Price < p.Price && !o.ValidUntil.IsZero() && o.ValidUntil.Before(b.Expires) {
				item.Until = o.ValidUntil.UTC().Truncate(time.Second)
			}
		}
		index[p.ID] = len(b.Items)
		b.Items = append(b.Items, item)
		prices = append(prices, wire.BasketPrice{ProductID: p.ID, Name: p.Name, Qty: it.Qty, Price: item.Price,
			StorePrice: p.Price, Until: item.Until})
	}
	id, err := basketID()
	if err != nil {
		return wire.BasketQR{}, nil, err
	}
	b.ID = id
	return b, prices, nil
}

// basketID is 16 characters of base32 from 80 random bits: unguessable, short in a QR code.
func basketID() (string, error) {
	raw := make([]byte, 10)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("basket id: %w", err)
	}
	return strings.ToLower(base32.StdEncoding.EncodeToString(raw)), nil
}

// handleCreateBasket serves POST /v1/admin/baskets: the web shop or the app has a basket signed for a
// store's tills with an admin token. Every request makes a new basket; the hub keeps none.
func (s *Server) handleCreateBasket(w http.ResponseWriter, r *http.Request) {
	var req wire.BasketRequest
	if !s.adminRequest(w, r, &req) {
		return
	}
	note(r.Context(), slog.String("store", req.Store), slog.String("source", req.Source))
	if s.pickup.KeyID == "" {
		writeError(w, http.StatusServiceUnavailable, ErrNoSigningKey.Error())
		return
	}
	b, prices, err := BuildBasket(r.Context(), s.b, req, s.now())
	if errors.Is(err, ErrInvalid) || errors.Is(err, ErrNotFound) {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	payload, err := wire.SignBasketQR(b, s.pickup.KeyID, s.pickup.Key)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	note(r.Context(), slog.String("basket", b.ID), slog.Int("items", len(b.Items)))
	writeJSON(w, http.StatusCreated, wire.BasketCreated{ID: b.ID, Store: b.Store, Source: b.Source, Items: prices,
		Total: b.Total(), ExpiresAt: b.Expires, QR: payload})
}
