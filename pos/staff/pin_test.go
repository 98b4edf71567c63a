package staff

import (
	"errors"
	"strings"
	"testing"
)

// The reference implementation's argon2id vectors (P-H-C/phc-winner-argon2 src/test.c, version 0x13):
// password "password", salt "somesalt". Its 64 MiB vectors are left out to keep the race-enabled run fast;
// these two differ from them only in memory and lanes.
var argonVectors = []struct {
	p       Params
	encoded string
}{
	{Params{Time: 2, Memory: 256, Threads: 1, KeyLen: 32}, "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"},
	{Params{Time: 2, Memory: 256, Threads: 2, KeyLen: 32}, "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc"},
}

func TestArgon2idKnownVectors(t *testing.T) {
	for _, v := range argonVectors {
		got, err := encodeHash([]byte("password"), []byte("somesalt"), v.p)
		if err != nil {
			t.Fatal(err)
		}
		if got != v.encoded {
			t.Errorf("%+v:\n got %s\nwant %s", v.p, got, v.encoded)
		}
		if ok, err := VerifyPIN(v.encoded, "password"); !ok || err != nil {
			t.Errorf("VerifyPIN(%s, password) = %v, %v", v.encoded, ok, err)
		}
		if ok, _ := VerifyPIN(v.encoded, "passwore"); ok {
			t.Errorf("VerifyPIN(%s) accepts another password", v.encoded)
		}
	}
}

func TestHashPIN(t *testing.T) {
	a, err := HashPIN("1234", testParams)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := HashPIN("1234", testParams)
	if a == b {
		t.Error("two hashes of one PIN are equal: the salt is not random")
	}
	if !strings.HasPrefix(a, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %s does not carry its parameters", a)
	}
	for _, c := range []struct {
		pin  string
		want bool
	}{{"1234", true}, {"1235", false}, {"12345", false}, {"", false}} {
		if ok, err := VerifyPIN(a, c.pin); ok != c.want || err != nil {
			t.Errorf("VerifyPIN(%q) = %v, %v", c.pin, ok, err)
		}
	}
	if _, err := HashPIN("12", testParams); !errors.Is(err, ErrBadPIN) {
		t.Errorf("HashPIN(12) = %v", err)
	}
	if p, err := ParseHash(a); err != nil || p.Memory != 64 || p.SaltLen != 16 {
		t.Errorf("ParseHash = %+v, %v", p, err)
	}
}

// TestDefaultParams: a production hash is OWASP's argon2id minimum, 19 MiB and 2 passes.
func TestDefaultParams(t *testing.T) {
	h, err := HashPIN("2222", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("default hash %s", h)
	}
	if ok, err := VerifyPIN(h, "2222"); !ok || err != nil {
		t.Errorf("VerifyPIN = %v, %v", ok, err)
	}
}

var badHashes = []string{
	"",
	"1234",
	"pbkdf2-sha256$210000$c2FsdHNhbHQ$a2V5",
	"$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
	"$argon2id$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
	"$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", // 4 GiB
	"$argon2id$v=19$m=65536,t=99,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
	"$argon2id$v=19$m=65536,t=2,p=0$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
	"$argon2id$v=19$m=65536,t=2,p=1,x=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
	"$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", // 4-byte salt
	"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFh",                                   // 3-byte key
	"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$!!!",
}

func TestParseHashRefuses(t *testing.T) {
	for _, h := range badHashes {
		if _, err := VerifyPIN(h, "password"); !errors.Is(err, ErrHashFormat) {
			t.Errorf("VerifyPIN(%q) = %v, want ErrHashFormat", h, err)
		}
	}
}

// FuzzParseHash: no stored hash, however mangled, panics or asks for more than the bounds.
func FuzzParseHash(f *testing.F) {
	for _, v := range argonVectors {
		f.Add(v.encoded)
	}
	for _, h := range badHashes {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseHash(s)
		if err == nil && (p.Memory > maxMemory || p.Time > maxTime || p.Threads > maxThreads || p.Threads == 0) {
			t.Errorf("ParseHash(%q) accepted %+v", s, p)
		}
	})
}
