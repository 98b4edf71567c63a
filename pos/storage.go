package pos

import "errors"

// Errors of the terminal's own disk, as the domain sees them. pos/store wraps the operating system's
// errors in these, so the till can refuse a sale with a clear message before the fiscal register is
// touched instead of losing it, and the UI can explain them without knowing the file system.
var (
	// ErrDiskFull: the data folder's disk (or the file size limit) has no room for the write (ENOSPC,
	// EDQUOT, EFBIG). Nothing was written; selling stops until there is room again.
	ErrDiskFull = errors.New("no space left for the terminal's data")
	// ErrDataReadOnly: the data folder cannot be written (EROFS, EACCES, EPERM): a read-only mount, a
	// file system remounted read-only after errors, or wrong permissions.
	ErrDataReadOnly = errors.New("the terminal's data folder is read-only")
)
