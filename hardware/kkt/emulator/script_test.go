package emulator_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
)

var faultLines = []struct {
	line string
	want emulator.Fault
}{
	{"paper-out line=40", emulator.Fault{Kind: emulator.FaultPaperOut, Lines: 40}},
	{"paper-out", emulator.Fault{Kind: emulator.FaultPaperOut}},
	{"nak cmd=FF46 count=1", emulator.Fault{Kind: emulator.FaultNAK, Cmd: kkt.CmdOperation, Count: 1}},
	{"nak cmd=0xff46 nth=3 count=4", emulator.Fault{Kind: emulator.FaultNAK, Cmd: kkt.CmdOperation, Nth: 3, Count: 4}},
	{"bad-lrc cmd=FF45", emulator.Fault{Kind: emulator.FaultBadLRC, Cmd: kkt.CmdCloseReceipt}},
	{"bad-lrc cmd=8D count=0x10", emulator.Fault{Kind: emulator.FaultBadLRC, Cmd: kkt.CmdOpenReceipt, Count: 16}},
	{"drop-answer cmd=FF45 nth=1", emulator.Fault{Kind: emulator.FaultDropAnswer, Cmd: kkt.CmdCloseReceipt, Nth: 1}},
	{"drop-answer", emulator.Fault{Kind: emulator.FaultDropAnswer}},
	{"power-loss cmd=FF45 nth=1 down=2s", emulator.Fault{Kind: emulator.FaultPowerLoss, Cmd: kkt.CmdCloseReceipt, Nth: 1, Down: 2 * time.Second}},
	{"power-loss   cmd=E0\tdown=1m30s  # during the shift report", emulator.Fault{Kind: emulator.FaultPowerLoss, Cmd: kkt.CmdOpenShift, Down: 90 * time.Second}},
	{"byte-delay ms=5", emulator.Fault{Kind: emulator.FaultByteDelay, Delay: 5 * time.Millisecond}},
	{"byte-delay ms=600 cmd=10", emulator.Fault{Kind: emulator.FaultByteDelay, Cmd: kkt.CmdShortStatus, Delay: 600 * time.Millisecond}},
	{"shift-expire", emulator.Fault{Kind: emulator.FaultShiftExpire}},
	{"shift-expire cmd=FF45 nth=2", emulator.Fault{Kind: emulator.FaultShiftExpire, Cmd: kkt.CmdCloseReceipt, Nth: 2}},
	{"fn-warnings flags=0x0F", emulator.Fault{Kind: emulator.FaultFNWarnings, Flags: 0x0F}},
	{"fn-warnings flags=4 cmd=41", emulator.Fault{Kind: emulator.FaultFNWarnings, Flags: 4, Cmd: kkt.CmdZReport}},
	{"reject-mark gtin=04601234567893 code=0xA3", emulator.Fault{Kind: emulator.FaultRejectMark, GTIN: "04601234567893", Code: 0xA3}},
	{"reject-mark gtin=4601234567893 status=0x07", emulator.Fault{Kind: emulator.FaultRejectMark, GTIN: "04601234567893", Status: 7}},
	{"reject-mark code=0xA2", emulator.Fault{Kind: emulator.FaultRejectMark, Code: 0xA2}},
}

var badFaultLines = []struct{ line, says string }{
	{"", "empty"},
	{"# only a comment", "empty"},
	{"paper-jam", "unknown fault"},
	{"nak cmd", "not key=value"},
	{"nak cmd=", "not key=value"},
	{"nak cmd=FF46 cmd=FF45", "twice"},
	{"nak line=3", "takes no"},
	{"paper-out cmd=FF45", "takes no"},
	{"nak cmd=0", "not a command code"},
	{"nak cmd=FF", "not a command code"},
	{"nak cmd=FG46", "invalid syntax"},
	{"nak cmd=1FF46", "out of range"},
	{"nak nth=-1", "invalid syntax"},
	{"nak count=1001", "over 1000"},
	{"power-loss down=soon", "invalid duration"},
	{"power-loss down=-1s", "out of 0"},
	{"power-loss down=2h", "out of 0"},
	{"byte-delay ms=10001", "over 10000"},
	{"fn-warnings flags=0x100", "out of range"},
	{"reject-mark gtin=12345 code=0xA3", "not a GTIN"},
	{"reject-mark gtin=0460123456789X code=0xA3", "not a GTIN"},
	{"reject-mark gtin=04601234567893", "exactly one of code and status"},
	{"reject-mark code=0xA3 status=2", "exactly one of code and status"},
	{"reject-mark code=0x33", "not a marking error"},
	{"reject-mark status=1", "not a refusal"},
	{"reject-mark status=0xA1", "not a refusal"},
}

func TestParseFault(t *testing.T) {
	for _, tt := range faultLines {
		t.Run(tt.line, func(t *testing.T) {
			got, err := emulator.ParseFault(tt.line)
			if err != nil || got != tt.want {
				t.Fatalf("ParseFault = %+v, %v; want %+v", got, err, tt.want)
			}
			again, err := emulator.ParseFault(got.String())
			if err != nil || again != got {
				t.Errorf("%q read back as %+v, %v", got.String(), again, err)
			}
		})
	}
	for _, tt := range badFaultLines {
		t.Run("bad "+tt.line, func(t *testing.T) {
			f, err := emulator.ParseFault(tt.line)
			if err == nil || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("ParseFault = %+v, %v; want an error saying %q", f, err, tt.says)
			}
		})
	}
}

func TestParseFaultsScript(t *testing.T) {
	script := "# a bad afternoon\n\npaper-out line=40\n  nak cmd=FF46 count=1   # one damaged line\nshift-expire\n"
	got, err := emulator.ParseFaults(strings.NewReader(script))
	want := []emulator.Fault{{Kind: emulator.FaultPaperOut, Lines: 40},
		{Kind: emulator.FaultNAK, Cmd: kkt.CmdOperation, Count: 1}, {Kind: emulator.FaultShiftExpire}}
	if err != nil || len(got) != len(want) {
		t.Fatalf("ParseFaults = %+v, %v", got, err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("fault %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	_, err = emulator.ParseFaults(strings.NewReader("paper-out line=1\n\nnak bogus=1\n"))
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("error %v does not name line 3", err)
	}
}

func TestValidateAndInjectRefuseBadFaults(t *testing.T) {
	bad := []emulator.Fault{
		{},
		{Kind: emulator.FaultNAK, Lines: 3},
		{Kind: emulator.FaultPowerLoss, Cmd: 0xFF},
		{Kind: emulator.FaultByteDelay, Delay: 1500 * time.Microsecond},
		{Kind: emulator.FaultRejectMark, GTIN: "123", Code: 0xA3},
	}
	dev, err := emulator.New(emulator.Config{Now: fixedNow})
	must(t, err)
	for _, f := range bad {
		if err := dev.Inject(f); err == nil {
			t.Errorf("Inject(%+v) accepted", f)
		}
		if _, err := emulator.New(emulator.Config{Faults: []emulator.Fault{f}}); err == nil {
			t.Errorf("New with fault %+v accepted", f)
		}
	}
	if _, err := emulator.New(emulator.Config{Baud: -1}); err == nil {
		t.Error("New with baud -1 accepted")
	}
}

func FuzzParseFault(f *testing.F) {
	for _, tt := range faultLines {
		f.Add(tt.line)
	}
	for _, tt := range badFaultLines {
		f.Add(tt.line)
	}
	f.Fuzz(func(t *testing.T, line string) {
		got, err := emulator.ParseFault(line)
		if err != nil {
			return
		}
		if err := got.Validate(); err != nil {
			t.Fatalf("%q parsed to an invalid fault: %v", line, err)
		}
		again, err := emulator.ParseFault(got.String())
		if err != nil || again != got {
			t.Fatalf("%q → %+v → %q → %+v, %v", line, got, got.String(), again, err)
		}
		faults, err := emulator.ParseFaults(strings.NewReader(got.String() + "\n# end\n"))
		if err != nil || len(faults) != 1 || faults[0] != got {
			t.Fatalf("as a script: %+v, %v", faults, err)
		}
	})
}
