package store

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"github.com/kassa-pos/kassa/pos"
)

var (
	// ErrDiskFull is pos.ErrDiskFull: a write found no room (ENOSPC, EDQUOT, EFBIG). Nothing was committed.
	ErrDiskFull = pos.ErrDiskFull
	// ErrReadOnly is pos.ErrDataReadOnly: the database file or its folder cannot be written.
	ErrReadOnly = pos.ErrDataReadOnly
)

// diskTexts are the operating system's messages of the errnos below. bbolt formats the errors of growing
// the file with %s (db.grow: "file resize error: …"), which drops the errno, so for those only the text
// tells what happened.
var diskTexts = []struct {
	text string
	err  error
}{
	{syscall.ENOSPC.Error(), ErrDiskFull},
	{syscall.EDQUOT.Error(), ErrDiskFull},
	{syscall.EFBIG.Error(), ErrDiskFull},
	{syscall.EROFS.Error(), ErrReadOnly},
	{syscall.EACCES.Error(), ErrReadOnly},
}

// classifyWrite wraps an error of a write (a commit, opening the file) in ErrDiskFull or ErrReadOnly when
// the disk caused it, keeping the original error in the chain for the log. Other errors pass unchanged.
func classifyWrite(err error) error {
	if err == nil || errors.Is(err, ErrDiskFull) || errors.Is(err, ErrReadOnly) {
		return err
	}
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT), errors.Is(err, syscall.EFBIG):
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	case errors.Is(err, syscall.EROFS), errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return fmt.Errorf("%w: %w", ErrReadOnly, err)
	}
	msg := err.Error()
	for _, d := range diskTexts {
		if strings.Contains(msg, d.text) {
			return fmt.Errorf("%w: %w", d.err, err)
		}
	}
	return err
}

// IsDiskError reports whether err is one of the disk's: the caller stops writing rather than retrying.
func IsDiskError(err error) bool { return errors.Is(err, ErrDiskFull) || errors.Is(err, ErrReadOnly) }
