// Package simulate is `kassa simulate`: a headless terminal, without a window, that sells random receipts
// through the till's own checkout path (the emulated ККТ in-process, the store in its data folder), replays
// them to a hub and exits once the hub has acknowledged every event. It is the load generator and the
// terminal of the fault tests: killed at any moment and started again on the same data folder, it resumes
// where it stopped, and each run makes the number of sales it is given (`--sales 0` only finishes the
// replay).
package simulate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/fiscal"
)

// ErrRejected means the hub refused events for good: they are dead letters in the outbox, so the hub
// cannot acknowledge every event and the run fails.
var ErrRejected = errors.New("hub rejected events")

// Options configure a run.
type Options struct {
	Hub      string  // the hub's base URL
	Token    string  // the terminal's token, stored in Data/token (0600); "" uses the token stored there
	Terminal string  // the terminal's name at the hub (the token's terminal)
	Data     string  // the data folder: kassa.db, the emulated ККТ's state, the token
	CAFile   string  // the hub's CA, for a backend with its own
	Sales    int     // sales to make in this run
	Rate     float64 // sales per second; 0: as fast as the register allows
	Batch    int     // events per POST; 0: the replayer's default
	Seed     uint64  // the random receipts' seed; 0: a random one
	Cashier  string
	Logger   *slog.Logger
	// Poll is how often the outbox is looked at while waiting for the hub; 0: 50 ms.
	Poll time.Duration
	// ShiftSales closes the shift with a Z report after every ShiftSales sales and after the last one (the
	// day's close); 0 leaves the shift open. The summary lists the Z reports the register printed.
	ShiftSales int
	// FaultEvery arms a random register fault (a damaged frame, a lost answer, a power cut) on the emulated
	// ККТ after every FaultEvery sales, and makes the seller try again as a cashier would; 0: none.
	FaultEvery int
}

// Summary is what a run prints when it ends (one JSON line).
type Summary struct {
	Terminal string  `json:"terminal"`
	Sold     int     `json:"sold"`   // sales made in this run
	Sales    int     `json:"sales"`  // fiscalised sales in the journal, from every run
	Total    int64   `json:"total"`  // their total in kopecks
	Unsent   int     `json:"unsent"` // outbox events the hub has not acknowledged
	Dead     int     `json:"dead"`   // events the hub rejected
	Seconds  float64 `json:"seconds"`
	// Faults, Cancelled and ZReports are this run's injected register faults, sales they left unfiscalised,
	// and the Z reports printed.
	Faults    int       `json:"faults,omitempty"`
	Cancelled int       `json:"cancelled,omitempty"`
	ZReports  []ZReport `json:"z_reports,omitempty"`
}

// Run opens the terminal in o.Data, recovers it, sells o.Sales receipts at o.Rate while the replayer sends
// them, and returns once the outbox is empty. It fails with ErrRejected as soon as the outbox holds a dead
// letter, and with ctx's error when ctx ends first (the data folder is consistent: run again to resume).
func Run(ctx context.Context, o Options) (sum Summary, err error) {
	start := time.Now()
	if err := o.defaults(); err != nil {
		return sum, err
	}
	sum.Terminal = o.Terminal
	tokenFile := filepath.Join(o.Data, "token")
	if err := storeToken(tokenFile, o.Token, o.Logger); err != nil {
		return sum, err
	}
	term, err := terminal.Open(ctx, terminal.Options{
		Terminal: o.Terminal, Data: o.Data, Demo: true, KKTPort: "emulator", HubURL: o.Hub,
		TokenFile: tokenFile, CAFile: o.CAFile, Logger: o.Logger, Layout: barcode.DefaultWeightLayout(),
		TaxCodes: fiscal.Config{TaxSystem: 1}, SyncIdlePoll: time.Second, SyncBatch: o.Batch,
	})
	if err != nil {
		return sum, err
	}
	syncCtx, stopSync := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = term.RunSync(syncCtx) }()
	defer func() {
		stopSync()
		wg.Wait()
		if cerr := term.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()

	rec, err := term.Till.Recover(ctx)
	if err != nil {
		return sum, fmt.Errorf("recover: %w", err)
	}
	if rec.Total() > 0 {
		o.Logger.Info("recovered after an interruption", "completed", len(rec.Completed),
			"refiscalised", len(rec.Refiscalised), "cancelled", len(rec.Cancelled))
	}
	var z zReader
	if term.Register.Emulator != nil {
		term.Register.Emulator.OnTape(z.line)
	}
	if o.Sales > 0 {
		s, err := newSeller(term, o)
		if err != nil {
			return sum, err
		}
		sum.Sold, err = s.sell(ctx, o.Sales, o.Rate)
		sum.Faults, sum.Cancelled, sum.ZReports = s.faults, s.cancelled, z.all()
		if err != nil {
			return sum, err
		}
	}
	o.Logger.Info("sold", "sales", sum.Sold, "terminal", o.Terminal)
	term.Replayer.SyncNow() // no backoff wait left over from a hub that was down during the sales
	err = waitAcked(ctx, term, o.Poll)
	if serr := summarize(term, &sum); err == nil {
		err = serr
	}
	sum.Seconds = time.Since(start).Seconds()
	return sum, err
}

func (o *Options) defaults() error {
	if o.Hub == "" {
		return errors.New("no hub URL")
	}
	if o.Terminal == "" || o.Data == "" {
		return errors.New("terminal name and data folder are required")
	}
	if o.Sales < 0 || o.Rate < 0 || o.Batch < 0 || o.ShiftSales < 0 || o.FaultEvery < 0 {
		return errors.New("sales, rate, batch, shift-sales and fault-every must not be negative")
	}
	if o.Cashier == "" {
		o.Cashier = "Симулятор"
	}
	if o.Seed == 0 {
		o.Seed = rand.Uint64()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Poll <= 0 {
		o.Poll = 50 * time.Millisecond
	}
	return nil
}

// storeToken writes token to path (0600) unless the file already holds it privately; a file others can
// read is written again with 0600. With no token the file must exist.
func storeToken(path, token string, log *slog.Logger) error {
	if token == "" {
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("no --token and no token stored in the data folder: %w", err)
		}
		return nil
	}
	info, err := os.Stat(path)
	if err == nil {
		old, rerr := os.ReadFile(path)
		if rerr == nil && strings.TrimSpace(string(old)) == token && info.Mode().Perm()&0o077 == 0 {
			return nil
		}
		if info.Mode().Perm()&0o077 != 0 {
			log.Warn("token file was readable by others; written again with mode 0600", "file", path,
				"mode", info.Mode().Perm().String())
		}
	}
	return terminal.WriteToken(path, token)
}

// waitAcked polls the outbox until the hub has acknowledged everything in it, failing at the first dead
// letter.
func waitAcked(ctx context.Context, term *terminal.Terminal, poll time.Duration) error {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		st, err := term.Store.OutboxStats()
		if err != nil {
			return err
		}
		if st.DeadLetters > 0 {
			return rejected(term)
		}
		if st.Unsent == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d events not acknowledged yet (run again on the same data folder to resume): %w",
				st.Unsent, ctx.Err())
		case <-t.C:
		}
	}
}

func rejected(term *terminal.Terminal) error {
	dead, err := term.Store.DeadLetters()
	if err != nil {
		return err
	}
	var reasons []string
	for _, d := range dead {
		reasons = append(reasons, fmt.Sprintf("%s %s: %s", d.Event.Type, d.Event.ID, d.Reason))
	}
	return fmt.Errorf("%w: %s", ErrRejected, strings.Join(reasons, "; "))
}

// summarize counts the journal's fiscalised sales and the outbox.
func summarize(term *terminal.Terminal, sum *Summary) error {
	sales, err := term.Store.RecentSales(1 << 30)
	if err != nil {
		return err
	}
	for _, s := range sales {
		if s.Status == pos.SaleFiscalised && s.Kind == pos.KindSale {
			sum.Sales++
			sum.Total += int64(s.Total)
		}
	}
	st, err := term.Store.OutboxStats()
	if err != nil {
		return err
	}
	sum.Unsent, sum.Dead = st.Unsent, st.DeadLetters
	return nil
}
