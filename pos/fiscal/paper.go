package fiscal

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
)

// Device codes and submodes of the paper (PROTOCOLS.md §1.4, §1.5).
const (
	codeNoPaper         = 0x6B // нет бумаги
	codeWaitContinue    = 0x58 // ожидание команды продолжения печати
	codeStillPrinting   = 0x50 // идёт печать предыдущей команды
	codeWrongSubmode    = 0x72 // команда не поддерживается в данном подрежиме
	submodeAfterNoPaper = 3    // paper loaded after it ran out mid-document: 0xB0 prints the rest
)

// maxPaperWaits bounds how many times one command waits for paper, against a hook that answers at once.
const maxPaperWaits = 10

// printPoll is how often the status is read while the device prints the rest of a document after 0xB0.
const printPoll = 100 * time.Millisecond

// maxPrintPolls bounds that wait (30 s); the next command is refused with 0x50 if printing goes on longer.
const maxPrintPolls = 300

// paper runs a device command. When the device refuses it for want of paper and the cashier can be asked
// (AwaitPaper), it waits for a new roll, resumes printing (0xB0 in submode 3) and sends the command again:
// a refusal means the command did not run. Only a refusal is retried, never a lost answer. Without a hook,
// or when the cashier gives up, the refusal is returned as it came.
func (r *Register) paper(ctx context.Context, cmd func() error) error {
	for wait := 0; ; wait++ {
		err := cmd()
		if err == nil || wait == maxPaperWaits {
			return err
		}
		await := r.paperHook()
		if await == nil || !r.paperRefusal(ctx, err) {
			return err
		}
		if perr := r.reload(ctx, await, err); perr != nil {
			return fmt.Errorf("%w (waiting for paper: %w)", err, perr)
		}
	}
}

func (r *Register) paperHook() func(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.awaitPaper
}

// paperRefusal reports whether err is the device refusing a command for want of paper.
func (r *Register) paperRefusal(ctx context.Context, err error) bool {
	var de *kkt.DeviceError
	if !errors.As(err, &de) {
		return false
	}
	switch de.Code {
	case codeNoPaper, codeWaitContinue:
		return true
	case codeStillPrinting, codeWrongSubmode:
		// Refusals of a device stopped in the middle of a document: the submode tells whether paper is why.
		ss, serr := r.drv.ShortStatus(ctx)
		return serr == nil && ss.Submode >= 1 && ss.Submode <= submodeAfterNoPaper
	}
	return false
}

// reload gets the device printing again after refusal: while its sensor sees no paper (submode 1, 2) the
// cashier is asked for a roll; once one is in after a document was interrupted (submode 3), 0xB0 prints the
// rest of it. A "no paper" refusal from a device whose status shows none of this still asks the cashier
// once, as the device said.
func (r *Register) reload(ctx context.Context, await func(context.Context) error, refusal error) error {
	var de *kkt.DeviceError
	asked := false
	for range maxPaperWaits {
		ss, err := r.drv.ShortStatus(ctx)
		if err != nil {
			return err
		}
		switch {
		case ss.Submode == 1 || ss.Submode == 2:
		case ss.Submode == submodeAfterNoPaper:
			err := r.drv.ContinuePrint(ctx)
			if errors.As(err, &de) && de.Code == codeNoPaper {
				continue // the roll is out again: the status says so next
			}
			if err != nil {
				return err
			}
			return r.waitPrinted(ctx)
		case asked || !errors.As(refusal, &de) || de.Code != codeNoPaper:
			return nil
		}
		if err := await(ctx); err != nil {
			return err
		}
		asked = true
	}
	return errors.New("the register still reports no paper")
}

// waitPrinted polls the status until the device is no longer printing (submodes 4 and 5), as the vendor's
// drivers do after 0xB0.
func (r *Register) waitPrinted(ctx context.Context) error {
	for range maxPrintPolls {
		ss, err := r.drv.ShortStatus(ctx)
		if err != nil || ss.Submode != 4 && ss.Submode != 5 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(printPoll):
		}
	}
	return nil
}

// finishPrinting is called after a document was fiscalised: if the roll ran out while it printed (submode
// 2 or 3), the cashier is asked for paper now so the customer gets the whole receipt. The document is
// fiscalised whatever happens here; a refusal is left for the next command to meet.
func (r *Register) finishPrinting(ctx context.Context) {
	await := r.paperHook()
	if await == nil {
		return
	}
	ss, err := r.drv.ShortStatus(ctx)
	if err != nil || ss.Submode != 2 && ss.Submode != submodeAfterNoPaper {
		return // printed to the end (an empty roll after it is the next receipt's business)
	}
	_ = r.reload(ctx, await, nil)
}
