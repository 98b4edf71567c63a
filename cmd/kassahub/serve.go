package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/hub/metrics"
)

// shutdownGrace is how long in-flight requests get to finish after a stop signal.
const shutdownGrace = 10 * time.Second

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fl, com := newFlags("serve", stderr)
	listen := fl.String("listen", defaultListen, "address to listen on (port 0 picks a free one)")
	level := fl.String("log-level", "info", "log level: debug, info, warn or error")
	maxBody := fl.Int64("max-body", hub.DefaultMaxBody, "largest accepted request body in bytes")
	cert := fl.String("tls-cert", "", "TLS certificate (PEM); with --tls-key the hub serves HTTPS")
	key := fl.String("tls-key", "", "TLS private key (PEM)")
	if err := parse(fl, args); err != nil {
		return err
	}
	cfg, err := com.load()
	if err != nil {
		return err
	}
	for name, apply := range map[string]func(){
		"listen":    func() { cfg.Listen = *listen },
		"log-level": func() { cfg.LogLevel = *level },
		"max-body":  func() { cfg.MaxBody = *maxBody },
		"tls-cert":  func() { cfg.TLS.Cert = *cert },
		"tls-key":   func() { cfg.TLS.Key = *key },
	} {
		if com.set(name) {
			apply()
		}
	}
	if err := cfg.validate(); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	log := cfg.logger(stderr)

	var tlsConf *tls.Config
	if cfg.TLS.Cert != "" {
		pair, err := tls.LoadX509KeyPair(cfg.TLS.Cert, cfg.TLS.Key)
		if err != nil {
			return fmt.Errorf("tls: %w", err)
		}
		tlsConf = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}
	st, err := openServe(cfg)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := st.Close(); cerr != nil && err == nil {
			err = cerr
		}
		log.Info("stopped")
	}()
	for _, t := range cfg.Terminals {
		changed, err := st.EnsureTerminal(t.Store, t.Name, t.TokenSHA256)
		if err != nil {
			return fmt.Errorf("config terminal: %w", err)
		}
		if changed {
			log.Info("terminal registered from the config", "store", t.Store, "terminal", t.Name)
		}
	}

	m := metrics.New()
	if err := registerPoolMetrics(m, st); err != nil {
		return err
	}
	api := hub.NewServer(st, hub.Options{Logger: log, MaxBody: cfg.MaxBody, Observer: m,
		AdminTokens: cfg.Admin.TokenSHA256, Pickup: cfg.pickupOptions()})
	mux := http.NewServeMux()
	mux.Handle("/", api.Handler())
	mux.Handle("GET /metrics", m.Handler())

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		Handler:           mux,
		TLSConfig:         tlsConf,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      2 * time.Minute, // a 10,000-item feed page to a slow store link
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if tlsConf != nil {
		scheme = "https"
		ln = tls.NewListener(ln, tlsConf)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "kassahub: listening on %s://%s\n", scheme, ln.Addr())
	log.Info("serving", "addr", ln.Addr().String(), "tls", tlsConf != nil, "data", cfg.Data, "storage", storageName(cfg), "terminals_in_config", len(cfg.Terminals))

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Stop accepting, let the batches in flight commit and answer, then close the database (deferred).
	log.Info("shutting down", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
