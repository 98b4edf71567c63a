package staff

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// UserStore keeps the users; pos/store implements it.
type UserStore interface {
	Users() ([]User, error)
	PutUser(u User) error
}

// LimiterStore keeps the rate limiter's state; pos/store implements it.
type LimiterStore interface {
	PINLimiter() (LimiterState, error)
	SavePINLimiter(st LimiterState) error
}

// AuditLog records audit entries (with their outbox event); pos/store implements it.
type AuditLog interface {
	RecordAudit(e AuditEntry) error
}

// Store is everything the service keeps.
type Store interface {
	UserStore
	LimiterStore
	AuditLog
}

// Config wires a Service.
type Config struct {
	Store  Store
	Policy Policy           // zero: DefaultPolicy
	Params Params           // for new PINs; zero: DefaultParams
	Now    func() time.Time // defaults to time.Now
}

// Service checks PINs against the users, limits wrong tries and audits what it allowed and refused. It
// is safe for concurrent use; PIN checks run one at a time, so parallel guessing gains nothing.
type Service struct {
	cfg Config
	mu  sync.Mutex
	lim LimiterState
}

// New returns a service with the limiter's state as it was left (a restart does not reset it).
func New(cfg Config) (*Service, error) {
	if cfg.Policy.Tries <= 0 {
		cfg.Policy = DefaultPolicy
	}
	if cfg.Params.Time == 0 {
		cfg.Params = DefaultParams
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	st, err := cfg.Store.PINLimiter()
	if err != nil {
		return nil, fmt.Errorf("staff: read the pin limiter: %w", err)
	}
	return &Service{cfg: cfg, lim: st}, nil
}

// Login finds the active user whose PIN this is and records the login. A wrong PIN is a *WrongPINError,
// a locked entry a *LockedError; both are audited.
func (s *Service) Login(pin string) (User, error) {
	u, err := s.check(pin)
	e := AuditEntry{Action: ActLogin, Outcome: outcomeOf(err)}
	if err == nil {
		e.Cashier, e.CashierName, e.Authoriser, e.AuthoriserName, e.AuthoriserRole = u.ID, u.Name, u.ID, u.Name, u.Role
	}
	if aerr := s.record(e); aerr != nil && err == nil {
		return User{}, aerr
	}
	return u, err
}

// Lock records that the cashier locked the till («Смена кассира»).
func (s *Service) Lock(cashier User) error {
	return s.record(AuditEntry{Action: ActLock, Outcome: OutcomeGranted, Cashier: cashier.ID,
		CashierName: cashier.Name, Authoriser: cashier.ID, AuthoriserName: cashier.Name, AuthoriserRole: cashier.Role})
}

// Permit allows a when the logged-in cashier's own role suffices, and records it; false means a senior's
// PIN is needed (Authorise).
func (s *Service) Permit(cashier User, a Action, c Context) (bool, error) {
	if !cashier.Can(a) {
		return false, nil
	}
	return true, s.record(entry(a, OutcomeGranted, cashier, cashier, c))
}

// Authorise checks a senior's PIN for one action of the logged-in cashier, without logging the cashier
// out, and records the outcome. It returns the authorising user; a PIN whose user's role is too low is
// ErrNotAllowed.
func (s *Service) Authorise(pin string, a Action, cashier User, c Context) (User, error) {
	u, err := s.check(pin)
	if err == nil && !u.Can(a) {
		err = fmt.Errorf("%w: %s needs %s, %s is %s", ErrNotAllowed, a, MinRole(a), u.Name, u.Role)
	}
	if aerr := s.record(entry(a, outcomeOf(err), cashier, u, c)); aerr != nil && err == nil {
		return User{}, aerr
	}
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// Done records that an action allowed earlier has finished, with the context known only now (what was
// saved, which sale was refunded); by is who authorised it (the senior whose PIN allowed it, or the cashier).
func (s *Service) Done(a Action, cashier, by User, c Context) error {
	return s.record(entry(a, OutcomeGranted, cashier, by, c))
}

func entry(a Action, o Outcome, cashier, by User, c Context) AuditEntry {
	return AuditEntry{Action: a, Outcome: o, Cashier: cashier.ID, CashierName: cashier.Name,
		Authoriser: by.ID, AuthoriserName: by.Name, AuthoriserRole: by.Role,
		Receipt: c.Receipt, Line: c.Line, Detail: c.Detail}
}

func outcomeOf(err error) Outcome {
	switch {
	case err == nil:
		return OutcomeGranted
	case errors.Is(err, ErrLocked):
		return OutcomeLocked
	case errors.Is(err, ErrNotAllowed):
		return OutcomeDenied
	default:
		return OutcomeWrongPIN
	}
}

func (s *Service) record(e AuditEntry) error {
	e.At = s.cfg.Now()
	if err := s.cfg.Store.RecordAudit(e); err != nil {
		return fmt.Errorf("staff: audit %s: %w", e.Action, err)
	}
	return nil
}

// check finds the active user with the PIN under the rate limiter. Every active user's hash is tried,
// matched or not, so the time taken does not tell how far down the list the PIN is.
func (s *Service) check(pin string) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	if err := s.cfg.Policy.locked(s.lim, now); err != nil {
		return User{}, err
	}
	users, err := s.cfg.Store.Users()
	if err != nil {
		return User{}, fmt.Errorf("staff: read users: %w", err)
	}
	var found User
	ok := false
	if ValidPIN(pin) == nil {
		for _, u := range users {
			if u.Disabled {
				continue
			}
			if match, err := VerifyPIN(u.PINHash, pin); err == nil && match && !ok {
				found, ok = u, true
			}
		}
	}
	if ok {
		if s.lim != (LimiterState{}) {
			if err := s.save(LimiterState{}); err != nil {
				return User{}, err
			}
		}
		return found, nil
	}
	next, refusal := s.cfg.Policy.fail(s.lim, now)
	if err := s.save(next); err != nil {
		return User{}, err
	}
	return User{}, refusal
}

func (s *Service) save(st LimiterState) error {
	if err := s.cfg.Store.SavePINLimiter(st); err != nil {
		return fmt.Errorf("staff: save the pin limiter: %w", err)
	}
	s.lim = st
	return nil
}

// Locked returns a *LockedError while PIN entry is locked, else nil.
func (s *Service) Locked() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg.Policy.locked(s.lim, s.cfg.Now())
}

// NewUser is what `kassa user add` and the demo seed call: it checks the fields, refuses a PIN another
// active user has (the PIN alone identifies the user at login), hashes the PIN and stores the user.
func (s *Service) NewUser(name string, role Role, inn, pin string) (User, error) {
	name = strings.TrimSpace(name)
	switch {
	case ValidName(name) != nil:
		return User{}, ValidName(name)
	case !role.Valid():
		return User{}, fmt.Errorf("%w: %d", ErrBadRole, role)
	case ValidINN(inn) != nil:
		return User{}, ValidINN(inn)
	case ValidPIN(pin) != nil:
		return User{}, ErrBadPIN
	}
	users, err := s.cfg.Store.Users()
	if err != nil {
		return User{}, fmt.Errorf("staff: read users: %w", err)
	}
	for _, u := range users {
		if match, err := VerifyPIN(u.PINHash, pin); err == nil && match && !u.Disabled {
			return User{}, ErrPINTaken
		}
	}
	hash, err := HashPIN(pin, s.cfg.Params)
	if err != nil {
		return User{}, err
	}
	id, err := NewID()
	if err != nil {
		return User{}, err
	}
	u := User{ID: id, Name: name, Role: role, INN: inn, PINHash: hash, Created: s.cfg.Now()}
	if err := s.cfg.Store.PutUser(u); err != nil {
		return User{}, fmt.Errorf("staff: store user: %w", err)
	}
	return u, nil
}

// Disable stops a user (found by id or exact name) from logging in; the user stays in the list and in
// the audit log.
func (s *Service) Disable(idOrName string) (User, error) {
	users, err := s.cfg.Store.Users()
	if err != nil {
		return User{}, fmt.Errorf("staff: read users: %w", err)
	}
	var hits []User
	for _, u := range users {
		if u.ID == idOrName || u.Name == idOrName {
			hits = append(hits, u)
		}
	}
	switch len(hits) {
	case 0:
		return User{}, fmt.Errorf("%w: %q", ErrUnknownUser, idOrName)
	case 1:
	default:
		return User{}, fmt.Errorf("%w: %q names %d users, give the id", ErrUnknownUser, idOrName, len(hits))
	}
	u := hits[0]
	u.Disabled = true
	if err := s.cfg.Store.PutUser(u); err != nil {
		return User{}, fmt.Errorf("staff: store user: %w", err)
	}
	return u, nil
}

// Users lists the users by role (highest first), then name.
func (s *Service) Users() ([]User, error) {
	users, err := s.cfg.Store.Users()
	if err != nil {
		return nil, fmt.Errorf("staff: read users: %w", err)
	}
	slices.SortFunc(users, func(a, b User) int {
		return cmp.Or(cmp.Compare(b.Role, a.Role), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return users, nil
}
