package wire_test

import (
	"errors"
	"testing"

	"github.com/kassa-pos/kassa/sync/wire"
)

var phoneCases = []struct {
	in, want string
	err      error
}{
	{"+7 (912) 345-67-89", "+79123456789", nil},
	{"8 912 345 67 89", "+79123456789", nil},
	{"79123456789", "+79123456789", nil},
	{"9123456789", "+79123456789", nil},
	{"+7.912.345.67.89", "+79123456789", nil},
	{"+8 912 345 67 89", "", wire.ErrPhone},
	{"+9123456789", "", wire.ErrPhone},
	{"912345678", "", wire.ErrPhone},
	{"+79123456789 доб. 2", "", wire.ErrPhone},
	{"7+9123456789", "", wire.ErrPhone},
	{"++79123456789", "", wire.ErrPhone},
	{"", "", wire.ErrPhone},
}

func TestNormalizePhone(t *testing.T) {
	for _, tc := range phoneCases {
		got, err := wire.NormalizePhone(tc.in)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestPhoneHash(t *testing.T) {
	key := []byte("chain key")
	a, err := wire.PhoneHash(key, "+7 912 345-67-89")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key   []byte
		phone string
		same  bool
	}{
		{key, "89123456789", true},
		{key, "+79123456780", false},
		{[]byte("other key"), "+79123456789", false},
	}
	for _, tc := range tests {
		b, err := wire.PhoneHash(tc.key, tc.phone)
		if err != nil || (a == b) != tc.same || len(b) != 64 {
			t.Errorf("PhoneHash(%q, %q) = %q, %v; same as %q: want %v", tc.key, tc.phone, b, err, a, tc.same)
		}
	}
	if _, err := wire.PhoneHash(key, "12"); !errors.Is(err, wire.ErrPhone) {
		t.Errorf("bad phone: %v", err)
	}
}

func FuzzNormalizePhone(f *testing.F) {
	for _, tc := range phoneCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := wire.NormalizePhone(in)
		if err != nil {
			return
		}
		if len(got) != 12 || got[:2] != "+7" {
			t.Fatalf("NormalizePhone(%q) = %q", in, got)
		}
		if again, err := wire.NormalizePhone(got); again != got || err != nil {
			t.Fatalf("not idempotent: %q -> %q, %v", got, again, err)
		}
	})
}
