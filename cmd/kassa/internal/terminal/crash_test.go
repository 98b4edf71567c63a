package terminal

import (
	"encoding/json"
	"testing"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/sync/wire"
)

// The outcomes recovery may give the sale a crash interrupted.
const (
	wantRefiscalised = "refiscalised" // the register never got it: fiscalised once, on recovery
	wantCancelled    = "cancelled"    // a receipt was left open: cancelled there and in the journal
	wantCompleted    = "completed"    // the register fiscalised it: its attributes are taken from the FN
	wantUntouched    = "untouched"    // everything was committed before the crash
)

// TestCrash kills the till with SIGKILL at every step of a sale (DESIGN.md, "A sale, step by step") and
// proves that recovery in a fresh process never loses a fiscalised sale and never fiscalises one twice.
func TestCrash(t *testing.T) {
	lines := len(crashScans)
	tests := []struct {
		name string
		step checkout.Step // the till stops here and is killed …
		dev  trigger       // … or the register kills it when it reaches this point
		want string
	}{
		{name: "after the pending sale is journalled", step: checkout.StepPending, want: wantRefiscalised},
		{name: "register received the first line",
			dev: trigger{kkt.CmdOperation, emulator.StageReceived, 1}, want: wantCancelled},
		{name: "register has every line, close never sent",
			dev: trigger{kkt.CmdOperation, emulator.StageExecuted, lines}, want: wantCancelled},
		// A register executes a command it accepted whether or not its host is still there: the receipt is
		// fiscalised although the till died first, and recovery must find it, not cancel or repeat it.
		{name: "register received close receipt",
			dev: trigger{kkt.CmdCloseReceipt, emulator.StageReceived, 1}, want: wantCompleted},
		{name: "register closed the receipt, answer unsent",
			dev: trigger{kkt.CmdCloseReceipt, emulator.StageExecuted, 1}, want: wantCompleted},
		{name: "after the fiscal answer is committed", step: checkout.StepFiscalised, want: wantUntouched},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			reg := newRegister(t)
			data := newDataDir(t)
			crashSale(t, reg, data, tc.step, tc.dev)
			atCrash := reg.dev.Snapshot()
			if tc.want == wantCancelled && atCrash.Receipt == nil {
				t.Fatal("the crash left no receipt open in the register; the case tests nothing")
			}

			first := runChild(t, reg, data, "recover")
			afterFirst := reg.dev.Snapshot()
			checkLedger(t, afterFirst, first, tc.want != wantCancelled, 1)
			checkRecovery(t, first.Recovery, tc.want)
			receiptsAt, receiptsAfter := len(saleReceipts(atCrash)), len(saleReceipts(afterFirst))
			if tc.want == wantRefiscalised {
				receiptsAt++ // the one fiscalisation recovery is allowed
			}
			if receiptsAfter != receiptsAt {
				t.Errorf("recovery left %d sale receipts in the FN, the crash left %d; want %d (%s)",
					receiptsAfter, len(saleReceipts(atCrash)), receiptsAt, tc.want)
			}

			second := runChild(t, reg, data, "recover")
			if n := second.Recovery.Total(); n != 0 {
				t.Errorf("a second recovery touched %d sales: %+v", n, second.Recovery)
			}
			if a, b := mustJSON(t, first.Journal), mustJSON(t, second.Journal); a != b {
				t.Errorf("a second recovery changed the journal:\n%s\n%s", a, b)
			}
			if a, b := len(afterFirst.Documents), len(reg.dev.Snapshot().Documents); a != b {
				t.Errorf("a second recovery made FN documents: %d then %d", a, b)
			}
		})
	}
}

// TestCrashThenSell shows the till keeps working after a crash: the next start recovers the
// interrupted sale and sells another one.
func TestCrashThenSell(t *testing.T) {
	t.Parallel()
	reg := newRegister(t)
	data := newDataDir(t)
	crashSale(t, reg, data, "", trigger{kkt.CmdCloseReceipt, emulator.StageExecuted, 1})

	sold := runChild(t, reg, data, "sale")
	checkRecovery(t, sold.Recovery, wantCompleted)
	if sold.Sale == nil || sold.Sale.Status != pos.SaleFiscalised {
		t.Fatalf("the sale after recovery: %+v", sold.Sale)
	}
	rep := runChild(t, reg, data, "recover")
	checkLedger(t, reg.dev.Snapshot(), rep, true, 2)
	if n := rep.Recovery.Total(); n != 0 {
		t.Errorf("recovery after a clean sale touched %d sales", n)
	}
	if !rep.Open {
		t.Error("the shift is not open after the sale")
	}
}

// crashSale starts a selling till and kills it at the till step or the register trigger.
func crashSale(t *testing.T, reg *register, data string, step checkout.Step, dev trigger) {
	t.Helper()
	c := newChild(reg, data, "sale", step)
	if step == "" {
		reg.arm(c, dev)
	}
	c.start(t)
	if step != "" {
		c.waitLine(t, "STEP "+string(step))
		if err := c.kill(); err != nil {
			t.Fatal(err)
		}
	}
	c.waitKilled(t)
	if step == "" {
		reg.awaitSettled(t)
	}
}

// checkLedger checks what must hold after any recovery: no receipt open, no sale pending, exactly one
// FN sale receipt per fiscalised journal sale carrying that receipt's number, sign and sum, and exactly
// one outbox event per fiscalised sale.
func checkLedger(t *testing.T, snap emulator.State, rep childReport, fiscalised bool, sales int) {
	t.Helper()
	if snap.Receipt != nil {
		t.Errorf("a receipt is still open in the register: %+v", snap.Receipt)
	}
	if len(rep.Journal) != sales {
		t.Fatalf("the journal holds %d sales, want %d: %+v", len(rep.Journal), sales, rep.Journal)
	}
	receipts := saleReceipts(snap)
	docs := map[uint32]emulator.Document{}
	for _, d := range receipts {
		docs[d.Number] = d
	}
	events := map[string]int{}
	for _, ev := range rep.Events {
		if ev.Type == wire.TypeSale {
			events[ev.ID]++
		}
	}
	nFiscal := 0
	for _, s := range rep.Journal {
		if s.Total != crashTotal {
			t.Errorf("sale %s total %v, want %v", s.ID, s.Total, crashTotal)
		}
		switch s.Status {
		case pos.SalePending:
			t.Errorf("sale %s is still pending", s.ID)
		case pos.SaleCancelled:
			if fiscalised {
				t.Errorf("sale %s was cancelled (%s); the register has or had to get it", s.ID, s.Note)
			}
			if events[s.ID] != 0 {
				t.Errorf("cancelled sale %s has %d outbox events", s.ID, events[s.ID])
			}
		case pos.SaleFiscalised:
			nFiscal++
			checkFiscal(t, s, docs)
			if events[s.ID] != 1 {
				t.Errorf("fiscalised sale %s has %d outbox events, want 1", s.ID, events[s.ID])
			}
		}
	}
	if !fiscalised && nFiscal == len(rep.Journal) {
		t.Error("no sale was cancelled; the register never completed the receipt")
	}
	if len(receipts) != nFiscal {
		t.Errorf("the FN holds %d sale receipts, the journal %d fiscalised sales", len(receipts), nFiscal)
	}
	if len(events) != nFiscal {
		t.Errorf("the outbox holds sale events for %d sales, the journal %d fiscalised sales", len(events), nFiscal)
	}
}

// checkFiscal checks a fiscalised sale against its receipt in the FN and takes the receipt out of docs,
// so that a receipt claimed twice is caught.
func checkFiscal(t *testing.T, s pos.Sale, docs map[uint32]emulator.Document) {
	t.Helper()
	if s.Fiscal == nil {
		t.Errorf("fiscalised sale %s has no fiscal attributes", s.ID)
		return
	}
	d, ok := docs[s.Fiscal.FDNumber]
	if !ok {
		t.Errorf("sale %s names FD %d, not a sale receipt in the FN (or claimed twice)", s.ID, s.Fiscal.FDNumber)
		return
	}
	if d.FiscalSign != s.Fiscal.FiscalSign || d.Sum != int64(s.Total) {
		t.Errorf("sale %s: FD %d sign %d sum %d; the FN has sign %d sum %d",
			s.ID, d.Number, s.Fiscal.FiscalSign, s.Total, d.FiscalSign, d.Sum)
	}
	if s.Fiscal.FNSerial != emulator.DefaultFNSerial {
		t.Errorf("sale %s FN serial %q, want %q", s.ID, s.Fiscal.FNSerial, emulator.DefaultFNSerial)
	}
	delete(docs, d.Number)
}

// checkRecovery checks that recovery put the interrupted sale in the expected list and no other.
func checkRecovery(t *testing.T, r checkout.Recovery, want string) {
	t.Helper()
	got := map[string]int{wantCompleted: len(r.Completed), wantRefiscalised: len(r.Refiscalised),
		wantCancelled: len(r.Cancelled)}
	for k, n := range got {
		if w := map[bool]int{true: 1}[k == want]; n != w {
			t.Errorf("recovery %s %d sales, want %d (%s expected): %+v", k, n, w, want, r)
		}
	}
}

// saleReceipts are the FN's sale (приход) receipts.
func saleReceipts(s emulator.State) []emulator.Document {
	var out []emulator.Document
	for _, d := range s.Documents {
		if d.Type == kkt.DocReceipt && d.OpType == kkt.OpIncome {
			out = append(out, d)
		}
	}
	return out
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
