package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// Config is the hub's TOML configuration file (see testdata/kassahub.toml). Command-line flags override it.
type Config struct {
	Listen    string        `toml:"listen"`
	Data      string        `toml:"data"`
	LogLevel  string        `toml:"log_level"`  // debug, info, warn, error
	LogFormat string        `toml:"log_format"` // text or json
	MaxBody   int64         `toml:"max_body"`   // bytes
	TLS       tlsConfig     `toml:"tls"`
	Storage   storageConfig `toml:"storage"` // storage.go
	Admin     struct {
		TokenSHA256 []string `toml:"token_sha256"` // hex SHA-256 of the admin tokens (`kassahub token`)
	} `toml:"admin"`
	Customers struct {
		PhoneKey string `toml:"phone_key"` // hex chain key of the phone hashes, at least 16 bytes
	} `toml:"customers"`
	Pickup    pickupConfig     `toml:"pickup"`
	Stores    []storeConfig    `toml:"stores"`
	Terminals []terminalConfig `toml:"terminals"`
}

type tlsConfig struct {
	Cert string `toml:"cert"`
	Key  string `toml:"key"`
}

type pickupConfig struct {
	TTL      duration      `toml:"ttl"`       // how long an order waits, "168h"
	SignWith string        `toml:"sign_with"` // key id signing new QR codes; default the first key
	Keys     []qrKeyConfig `toml:"keys"`
}

type qrKeyConfig struct {
	ID     string `toml:"id"`
	Secret string `toml:"secret"` // hex, at least 16 bytes; terminals hold the same to verify offline
}

type storeConfig struct {
	ID   string `toml:"id"`
	Name string `toml:"name"`
}

// terminalConfig declares a terminal whose token the operator made with `kassahub token`; serve registers
// it (or updates its token hash) at start.
type terminalConfig struct {
	Store       string `toml:"store"`
	Name        string `toml:"name"`
	TokenSHA256 string `toml:"token_sha256"`
}

// duration reads "72h" or "30m" from TOML.
type duration struct{ time.Duration }

func (d *duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

const minSecretLen = 16

// loadConfig reads a config file; keys it does not know are an error, so a typo is not silently ignored.
func loadConfig(path string) (Config, error) {
	var c Config
	md, err := toml.DecodeFile(path, &c)
	if err != nil {
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		keys := make([]string, len(un))
		for i, k := range un {
			keys[i] = k.String()
		}
		return c, fmt.Errorf("config %s: unknown keys: %s", path, strings.Join(keys, ", "))
	}
	if err := c.validate(); err != nil {
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// withDefaults fills what neither the file nor the flags set.
func (c Config) withDefaults() Config {
	if c.Listen == "" {
		c.Listen = defaultListen
	}
	if c.Data == "" {
		c.Data = defaultData
	}
	if c.LogLevel == "" {
		c.LogLevel = "info"
	}
	if c.LogFormat == "" {
		c.LogFormat = "text"
	}
	if c.MaxBody == 0 {
		c.MaxBody = hub.DefaultMaxBody
	}
	return c
}

func (c Config) validate() error {
	var errs []error
	check := func(ok bool, format string, a ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, a...))
		}
	}
	if c.LogLevel != "" {
		var l slog.Level
		check(l.UnmarshalText([]byte(c.LogLevel)) == nil, "log_level %q: want debug, info, warn or error", c.LogLevel)
	}
	check(c.LogFormat == "" || c.LogFormat == "text" || c.LogFormat == "json", "log_format %q: want text or json", c.LogFormat)
	check(c.MaxBody >= 0 && c.MaxBody <= 1<<30, "max_body %d: want 1 byte to 1 GiB", c.MaxBody)
	check((c.TLS.Cert == "") == (c.TLS.Key == ""), "tls: give both cert and key, or neither")
	if err := c.Storage.validate(); err != nil {
		errs = append(errs, err)
	}
	for _, h := range c.Admin.TokenSHA256 {
		check(isSHA256(h), "admin.token_sha256 %q: want 64 hex digits", h)
	}
	if c.Customers.PhoneKey != "" {
		_, err := secret(c.Customers.PhoneKey)
		check(err == nil, "customers.phone_key: %v", err)
	}
	check(c.Pickup.TTL.Duration >= 0, "pickup.ttl: negative")
	ids := map[string]bool{}
	for _, k := range c.Pickup.Keys {
		check(wire.ValidKeyID(k.ID), "pickup.keys id %q: want 1 to 16 of A-Z a-z 0-9 _ -", k.ID)
		_, err := secret(k.Secret)
		check(err == nil, "pickup.keys %q secret: %v", k.ID, err)
		check(!ids[k.ID], "pickup.keys: id %q twice", k.ID)
		ids[k.ID] = true
	}
	check(c.Pickup.SignWith == "" || ids[c.Pickup.SignWith], "pickup.sign_with %q: no such key", c.Pickup.SignWith)
	stores := map[string]bool{}
	for _, s := range c.Stores {
		check(s.ID != "" && !stores[s.ID], "stores: id %q empty or twice", s.ID)
		stores[s.ID] = true
	}
	terms := map[string]bool{}
	for _, t := range c.Terminals {
		check(t.Store != "" && t.Name != "", "terminals: store and name are required")
		check(len(c.Stores) == 0 || stores[t.Store], "terminal %q: store %q is not in stores", t.Name, t.Store)
		check(isSHA256(t.TokenSHA256), "terminal %q: token_sha256 wants 64 hex digits", t.Name)
		check(!terms[t.Store+"\x00"+t.Name], "terminal %q of store %q: declared twice", t.Name, t.Store)
		terms[t.Store+"\x00"+t.Name] = true
	}
	return errors.Join(errs...)
}

// knowsStore reports whether a store may be used: any store when the config lists none.
func (c Config) knowsStore(id string) error {
	if len(c.Stores) == 0 || slices.ContainsFunc(c.Stores, func(s storeConfig) bool { return s.ID == id }) {
		return nil
	}
	return fmt.Errorf("store %q is not in the config's stores", id)
}

// pickupOptions turns the config's keys into the hub's pickup options.
func (c Config) pickupOptions() hub.PickupOptions {
	opt := hub.PickupOptions{TTL: c.Pickup.TTL.Duration}
	opt.PhoneKey, _ = secret(c.Customers.PhoneKey)
	for _, k := range c.Pickup.Keys {
		if c.Pickup.SignWith == "" && opt.KeyID == "" || k.ID == c.Pickup.SignWith {
			opt.KeyID = k.ID
			opt.Key, _ = secret(k.Secret)
		}
	}
	return opt
}

func (c Config) logger(w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func secret(h string) ([]byte, error) {
	if h == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(h)
	if err != nil || len(b) < minSecretLen {
		return nil, fmt.Errorf("want at least %d bytes in hex", minSecretLen)
	}
	return b, nil
}

func isSHA256(h string) bool {
	b, err := hex.DecodeString(h)
	return err == nil && len(b) == 32
}
