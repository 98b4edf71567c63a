package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
)

// State is the device's memory: what survives a power cycle (and, with Config.StateFile, a restart).
type State struct {
	Mode          byte       `json:"-"` // as the short status reports it, mode in the low nibble
	Submode       byte       `json:"-"` // the paper's submode (SubmodeIdle …); not kept across restarts
	ShiftOpen     bool       `json:"shift_open"`
	ShiftNumber   uint16     `json:"shift_number"`
	ShiftOpenedAt time.Time  `json:"shift_opened_at"`
	Receipt       *Receipt   `json:"receipt,omitempty"` // the open receipt, nil when none
	LastFD        uint32     `json:"last_fd"`
	Documents     []Document `json:"documents"`
	Totals        Totals     `json:"totals"`
	DocCounter    uint16     `json:"doc_counter"`           // сквозной номер документа, fiscal or not
	PendingTLV    []kkt.TLV  `json:"pending_tlv,omitempty"` // FF0C sent with no receipt open: for the next document
	Marking       Marking    `json:"marking"`
}

// Marking is the FN's marking-code table and where the check–accept–sell–bind sequence stands.
type Marking struct {
	Stage   byte     `json:"stage"`             // markIdle, markChecked, markAccepted, markPositioned
	Code    string   `json:"code,omitempty"`    // the code checked last
	Result  byte     `json:"result,omitempty"`  // its tag 2106
	Checked []string `json:"checked,omitempty"` // codes checked for the current receipt (up to 128)
}

// ReceiptOpen reports whether a receipt is open.
func (s State) ReceiptOpen() bool { return s.Receipt != nil }

// Receipt is an open receipt.
type Receipt struct {
	Kind     byte      `json:"kind"` // 0 sale, 1 purchase, 2 sale return, 3 purchase return
	Operator byte      `json:"operator"`
	Lines    []Line    `json:"lines"`
	Total    int64     `json:"total"`
	TLV      []kkt.TLV `json:"tlv,omitempty"` // FF0C attributes
}

// Line is one position of a receipt.
type Line struct {
	Op       byte   `json:"op"`
	QtyMicro int64  `json:"qty_micro"` // quantity × 10^6, as FF46 carries it
	Price    int64  `json:"price"`
	Sum      int64  `json:"sum"`
	Tax      byte   `json:"tax"`
	Dept     byte   `json:"dept"`
	Name     string `json:"name"`
	Method   byte   `json:"method,omitempty"` // tag 1214
	Object   byte   `json:"object,omitempty"` // tag 1212
	// Mark is the marking code bound by FF67 and MarkResult its tag 2106.
	Mark       string    `json:"mark,omitempty"`
	MarkResult byte      `json:"mark_result,omitempty"`
	TLV        []kkt.TLV `json:"tlv,omitempty"` // FF4D attributes
}

// Document is a fiscal document in the FN.
type Document struct {
	Number     uint32    `json:"number"`
	Type       byte      `json:"type"` // kkt.DocShiftOpen, kkt.DocReceipt, kkt.DocShiftClose
	Time       time.Time `json:"time"`
	FiscalSign uint32    `json:"fiscal_sign"`
	OpType     byte      `json:"op_type,omitempty"`
	Sum        int64     `json:"sum,omitempty"`
	Shift      uint16    `json:"shift"`
}

// Totals are the register's counters in kopecks.
type Totals struct {
	Cash          int64 `json:"cash"`           // in the drawer
	GrandTotal    int64 `json:"grand_total"`    // необнуляемая сумма прихода
	ShiftReceipts int   `json:"shift_receipts"` // receipts in the shift
	ShiftIncome   int64 `json:"shift_income"`   // приход
	ShiftReturns  int64 `json:"shift_returns"`  // возврат прихода
	ShiftCash     int64 `json:"shift_cash"`
	ShiftCard     int64 `json:"shift_card"`
	ShiftPrepaid  int64 `json:"shift_prepaid"`  // зачёт предоплаты and other non-money payments
	ShiftCashIn   int64 `json:"shift_cash_in"`  // внесения
	ShiftCashOut  int64 `json:"shift_cash_out"` // выплаты
}

// fiscalSign is a deterministic stand-in for the FN's cryptographic sign.
func fiscalSign(serial string, fd uint32, sum int64) uint32 {
	h := fnv.New32a()
	fmt.Fprintf(h, "%s/%d/%d", serial, fd, sum)
	return h.Sum32()
}

// Snapshot is a deep copy of the state, for tests and diagnostics.
func (d *Device) Snapshot() State {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.st
	s.Mode, s.Submode = d.modeByte(d.now()), d.paper.submode
	s.Documents = append([]Document(nil), d.st.Documents...)
	if d.st.Receipt != nil {
		r := *d.st.Receipt
		r.Lines = append([]Line(nil), r.Lines...)
		r.TLV = append([]kkt.TLV(nil), r.TLV...)
		s.Receipt = &r
	}
	s.PendingTLV = append([]kkt.TLV(nil), d.st.PendingTLV...)
	s.Marking.Checked = append([]string(nil), d.st.Marking.Checked...)
	return s
}

func (d *Device) load() error {
	b, err := os.ReadFile(d.cfg.StateFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("emulator: read state: %w", err)
	}
	var st State
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("emulator: state file %s: %w", d.cfg.StateFile, err)
	}
	d.st = st
	return nil
}

// save writes the state to a temporary file, syncs it and renames it over the old one.
func (d *Device) save() error {
	if d.cfg.StateFile == "" {
		return nil
	}
	b, err := json.MarshalIndent(d.st, "", "  ")
	if err != nil {
		return fmt.Errorf("emulator: encode state: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(d.cfg.StateFile), ".kktemu-state-*")
	if err != nil {
		return fmt.Errorf("emulator: save state: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("emulator: save state: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("emulator: save state: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("emulator: save state: %w", err)
	}
	if err := os.Rename(f.Name(), d.cfg.StateFile); err != nil {
		return fmt.Errorf("emulator: save state: %w", err)
	}
	return nil
}
