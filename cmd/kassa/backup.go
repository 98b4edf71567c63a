package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/kassa-pos/kassa/pos/store"
)

// backupMain is `kassa backup --data DIR --to FILE`: a consistent snapshot of the database and the archive
// files of a closed terminal, in one tar file (pos/store/backup.go).
func backupMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kassa backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultConfig().Data, "the terminal's data folder")
	to := fs.String("to", "", "the backup file to write (replaced if it exists)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *to == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: kassa backup --data DIR --to FILE")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m, err := store.Backup(ctx, *data, *to)
	if err != nil {
		fmt.Fprintln(stderr, "kassa backup:", explainBackup(err))
		return 1
	}
	fmt.Fprintf(stdout, "backup %s: schema %d, %d files (%v)\n", *to, m.Schema, len(m.Files), m.Files)
	fmt.Fprintln(stdout, "not included: the hub token, the buyer key and the config; keep them apart (README)")
	return 0
}

// restoreMain is `kassa restore --from FILE --data DIR`: checks the backup, keeps the replaced database
// and archive as .bak, and puts the backup's in place.
func restoreMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kassa restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultConfig().Data, "the terminal's data folder")
	from := fs.String("from", "", "the backup file made by kassa backup")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *from == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: kassa restore --from FILE --data DIR")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := store.Restore(ctx, *from, *data)
	if err != nil {
		fmt.Fprintln(stderr, "kassa restore:", explainBackup(err))
		return 1
	}
	fmt.Fprintf(stdout, "restored %s into %s: schema %d, backup of %s, %d files\n", *from, *data,
		res.Manifest.Schema, res.Manifest.Created.Local().Format("02.01.2006 15:04"), len(res.Manifest.Files))
	for _, b := range res.Replaced {
		fmt.Fprintln(stdout, "kept the replaced copy as", b)
	}
	return 0
}

// explainBackup puts the reason first, in the cashier's language, with the details after it.
func explainBackup(err error) string {
	var why string
	switch {
	case errors.Is(err, store.ErrLocked):
		why = "касса запущена (база данных занята): закройте кассу и повторите. / The till is running: close it first."
	case errors.Is(err, store.ErrBadBackup), errors.Is(err, store.ErrCorrupt):
		why = "файл не является исправной резервной копией Kassa; ничего не изменено. / Not a usable backup; nothing was changed."
	case errors.Is(err, store.ErrSchemaTooNew):
		why = "копия сделана более новой версией Kassa; обновите программу. / The backup is from a newer Kassa."
	case errors.Is(err, store.ErrDiskFull):
		why = "нет места на диске. / No space left on the disk."
	case errors.Is(err, store.ErrReadOnly):
		why = "папка недоступна для записи. / The folder cannot be written."
	case errors.Is(err, os.ErrNotExist):
		why = "файл или папка не найдены. / File or folder not found."
	default:
		return err.Error()
	}
	return why + "\n  (" + err.Error() + ")"
}
