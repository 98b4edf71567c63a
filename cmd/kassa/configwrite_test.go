package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var setTOMLCases = []struct {
	name string
	src  string
	sets []tomlSet
	want string // "" when an error is wanted
}{
	{"replace keeps comments and order",
		"# till 3\nterminal = \"till-3\"\n\n[kkt]\nport = \"/dev/ttyACM0\" # the ККТ\nbaud = 115200\npassword = 30\n\n[scale]\nport = \"emulator\"\n",
		[]tomlSet{{"kkt", "port", "/dev/ttyKKT"}, {"kkt", "baud", 57600}},
		"# till 3\nterminal = \"till-3\"\n\n[kkt]\nport = \"/dev/ttyKKT\" # the ККТ\nbaud = 57600\npassword = 30\n\n[scale]\nport = \"emulator\"\n"},
	{"missing key goes under its header",
		"[printer]\nport = \"/dev/ttyUSB1\"\nwidth = 48\n",
		[]tomlSet{{"printer", "baud", 19200}},
		"[printer]\nbaud = 19200\nport = \"/dev/ttyUSB1\"\nwidth = 48\n"},
	{"missing section is appended",
		"terminal = \"t\"\n\n[kkt]\nport = \"emulator\"\n",
		[]tomlSet{{"display", "port", "/dev/ttyUSB2"}},
		"terminal = \"t\"\n\n[kkt]\nport = \"emulator\"\n\n[display]\nport = \"/dev/ttyUSB2\"\n"},
	{"same key in another section untouched",
		"[scale]\nport = \"/dev/a\"\n[display]\nport = \"/dev/b\"\n[[keys.qr]]\nid = \"k\"\n",
		[]tomlSet{{"display", "port", "/dev/c"}},
		"[scale]\nport = \"/dev/a\"\n[display]\nport = \"/dev/c\"\n[[keys.qr]]\nid = \"k\"\n"},
	{"quoted value with a hash",
		"[kiosk]\nscanner_port = \"/dev/#1\" # scanner\n",
		[]tomlSet{{"kiosk", "scanner_port", `/dev/by-id/usb-"x"`}},
		"[kiosk]\nscanner_port = \"/dev/by-id/usb-\\\"x\\\"\" # scanner\n"},
	{"top-level key missing goes before the first table",
		"# c\nterminal = \"t\"\n[kkt]\nport = \"emulator\"\n",
		[]tomlSet{{"", "store", "s1"}},
		"# c\nterminal = \"t\"\nstore = \"s1\"\n[kkt]\nport = \"emulator\"\n"},
	{"dotted keys are refused", "kkt.port = \"/dev/a\"\n", []tomlSet{{"kkt", "port", "/dev/b"}}, ""},
	{"control character refused", "[kkt]\nport = \"a\"\n", []tomlSet{{"kkt", "port", "a\nb"}}, ""},
	{"not TOML refused", "[kkt\nport = 1\n", []tomlSet{{"kkt", "port", "a"}}, ""},
}

func TestSetTOML(t *testing.T) {
	for _, tc := range setTOMLCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := setTOML([]byte(tc.src), tc.sets)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("no error; wrote\n%s", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func FuzzSetTOML(f *testing.F) {
	for _, tc := range setTOMLCases {
		f.Add(tc.src, "/dev/ttyUSB9", 9600)
	}
	f.Fuzz(func(t *testing.T, src, port string, baud int) {
		sets := []tomlSet{{"kkt", "port", port}, {"kkt", "baud", baud}}
		out, err := setTOML([]byte(src), sets)
		if err != nil {
			return
		}
		if err := sameExceptSets([]byte(src), out, sets); err != nil {
			t.Fatalf("accepted an edit that does not hold: %v\n%s", err, out)
		}
	})
}

// TestSaveConfigValues: the file is replaced with mode 0600 and still loads; an edit that would not load
// leaves it as it was; a terminal started without a file says so.
func TestSaveConfigValues(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kassa.toml")
	src := "terminal = \"till-3\" # name at the hub\n\n[kkt]\nport = \"/dev/ttyACM0\"\nbaud = 115200\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := saveConfigValues(path, []tomlSet{{"kkt", "port", "/dev/ttyKKT"}, {"scale", "port", "/dev/ttyS1"}}); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(path)
	if err != nil || cfg.KKT.Port != "/dev/ttyKKT" || cfg.KKT.Baud != 115200 || cfg.Scale.Port != "/dev/ttyS1" || cfg.Terminal != "till-3" {
		t.Fatalf("reloaded %+v, %v", cfg.KKT, err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v", st.Mode(), err)
	}
	b, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(b), "terminal = \"till-3\" # name at the hub\n") {
		t.Errorf("the comment was lost:\n%s", b)
	}
	if err := saveConfigValues(path, []tomlSet{{"", "mode", "sideways"}}); err == nil {
		t.Fatal("an invalid mode was saved")
	}
	if after, _ := os.ReadFile(path); string(after) != string(b) {
		t.Errorf("a refused edit changed the file:\n%s", after)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
	if err := saveConfigValues("", nil); !errors.Is(err, errNoConfigFile) {
		t.Errorf("without a file: %v", err)
	}
}
