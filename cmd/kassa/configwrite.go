package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// tomlSet is one value to write into kassa.toml: Key in [Section] ("" for the top level); Value is a
// string or an int.
type tomlSet struct {
	Section, Key string
	Value        any
}

var (
	tomlHeader = regexp.MustCompile(`^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?\s*(#.*)?$`)
	tomlKey    = regexp.MustCompile(`^(\s*)([A-Za-z0-9_-]+)(\s*=\s*)(.*)$`)
)

// setTOML returns src with each value set and every other line (comments, blank lines, the order of
// keys and sections) kept as it was: the key's line in its section gets the new value and keeps its
// trailing comment, a missing key goes right under its section's header, a missing section is appended.
// The result is decoded again and compared with src: exactly the set values may differ, else an error
// (a layout this line editor does not follow, such as dotted keys or a key inside a multi-line string).
func setTOML(src []byte, sets []tomlSet) ([]byte, error) {
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	lines := strings.Split(text, "\n")
	for _, set := range sets {
		val, err := tomlValue(set.Value)
		if err != nil {
			return nil, fmt.Errorf("config: %s.%s: %w", set.Section, set.Key, err)
		}
		lines = setLine(lines, set.Section, set.Key, val)
	}
	out := []byte(strings.Join(lines, "\n"))
	if err := sameExceptSets(src, out, sets); err != nil {
		return nil, err
	}
	return out, nil
}

// setLine sets key in section within lines.
func setLine(lines []string, section, key, val string) []string {
	cur, header, found := "", -1, false
	if section == "" {
		found = true
	}
	for i, l := range lines {
		if m := tomlHeader.FindStringSubmatch(l); m != nil {
			if cur == section && found && section == "" {
				return insertLine(lines, i, key+" = "+val) // top-level key missing: before the first table
			}
			cur = m[1]
			if cur == section && !strings.HasPrefix(strings.TrimSpace(l), "[[") {
				header, found = i, true
			}
			continue
		}
		if cur != section || !found {
			continue
		}
		if m := tomlKey.FindStringSubmatch(l); m != nil && m[2] == key {
			lines[i] = m[1] + m[2] + m[3] + val + valueRest(m[4])
			return lines
		}
	}
	switch {
	case section == "":
		return insertLine(lines, len(lines), key+" = "+val)
	case header >= 0:
		return insertLine(lines, header+1, key+" = "+val)
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return append(lines, "", "["+section+"]", key+" = "+val, "")
}

func insertLine(lines []string, at int, l string) []string {
	return append(lines[:at:at], append([]string{l}, lines[at:]...)...)
}

// valueRest is what follows a scalar value on its line (spaces and a comment), kept when the value is
// replaced.
func valueRest(v string) string {
	end := len(v)
	if strings.HasPrefix(v, `"`) {
		for i := 1; i < len(v); i++ {
			if v[i] == '\\' {
				i++
				continue
			}
			if v[i] == '"' {
				end = i + 1
				break
			}
		}
	} else if strings.HasPrefix(v, `'`) {
		if j := strings.IndexByte(v[1:], '\''); j >= 0 {
			end = j + 2
		}
	} else if j := strings.IndexByte(v, '#'); j >= 0 {
		end = j
		for end > 0 && (v[end-1] == ' ' || v[end-1] == '\t') {
			end--
		}
	}
	return v[end:]
}

// tomlValue writes a string or an int as TOML.
func tomlValue(v any) (string, error) {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x), nil
	case string:
		for _, r := range x {
			if r < 0x20 || r == 0x7f {
				return "", errors.New("control character in a value")
			}
		}
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(x) + `"`, nil
	}
	return "", fmt.Errorf("value of type %T", v)
}

// sameExceptSets decodes both versions and checks that they differ by exactly the set values.
func sameExceptSets(before, after []byte, sets []tomlSet) error {
	var old, neu map[string]any
	if _, err := toml.Decode(string(before), &old); err != nil {
		return fmt.Errorf("config: the file does not read as TOML: %w", err)
	}
	if _, err := toml.Decode(string(after), &neu); err != nil {
		return fmt.Errorf("config: the edited file does not read as TOML: %w", err)
	}
	for _, set := range sets {
		want := set.Value
		if n, ok := want.(int); ok {
			want = int64(n)
		}
		if got := tomlLookup(neu, set.Section, set.Key); !reflect.DeepEqual(got, want) {
			return fmt.Errorf("config: %s.%s could not be written in place (reads back as %v); edit the file by hand", set.Section, set.Key, got)
		}
		tomlDelete(old, set.Section, set.Key)
		tomlDelete(neu, set.Section, set.Key)
	}
	if !reflect.DeepEqual(old, neu) {
		return errors.New("config: editing the file would change other settings; edit it by hand")
	}
	return nil
}

func tomlTable(m map[string]any, section string) map[string]any {
	if section == "" {
		return m
	}
	t, _ := m[section].(map[string]any)
	return t
}

func tomlLookup(m map[string]any, section, key string) any { return tomlTable(m, section)[key] }

func tomlDelete(m map[string]any, section, key string) {
	t := tomlTable(m, section)
	if t == nil {
		return
	}
	delete(t, key)
	if section != "" && len(t) == 0 {
		delete(m, section)
	}
}

// writeFileAtomic replaces path with data so that a crash leaves the old file or the new one, never half
// of one: a temporary file in the same folder, fsync, mode 0600, rename over path, fsync of the folder.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, derr := os.Open(dir); derr == nil { // the rename itself durable; not every file system allows it
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// saveConfigValues sets values in the config file at path, checks that the result still loads as a valid
// configuration and replaces the file atomically.
func saveConfigValues(path string, sets []tomlSet) error {
	if path == "" {
		return errNoConfigFile
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real // replace the file a link points at, not the link
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	out, err := setTOML(src, sets)
	if err != nil {
		return err
	}
	if !bytes.HasSuffix(out, []byte("\n")) {
		out = append(out, '\n')
	}
	check := defaultConfig()
	md, err := toml.Decode(string(out), &check)
	if err == nil && len(md.Undecoded()) > 0 {
		err = fmt.Errorf("unknown setting %q", md.Undecoded()[0].String())
	}
	if err == nil {
		err = check.validate()
	}
	if err != nil {
		return fmt.Errorf("config: the edited file would not load: %w", err)
	}
	return writeFileAtomic(path, out)
}

// errNoConfigFile: the terminal was started without --config, so there is no file to write settings to.
var errNoConfigFile = errors.New("config: started without a configuration file (--config)")
