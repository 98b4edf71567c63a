package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/kassa-pos/kassa/cmd/kassa/internal/simulate"
)

// simulateMain is `kassa simulate …`: a headless terminal selling and replaying to a hub (see package
// simulate); SIGINT and SIGTERM stop it with the data folder ready to resume.
func simulateMain(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return simulate.Main(ctx, args, stdout, stderr)
}
