package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// ErrCertificate matches (errors.Is) a failure to trust the hub's TLS certificate: an unknown authority
// (the store backend's own CA is not configured), an expired certificate or one for another host name.
// Like a refused token it needs an administrator, so it is retried slowly and shown as such.
var ErrCertificate = errors.New("hub certificate not trusted")

// Status is what the UI shows about the link to the hub.
type Status struct {
	Online         bool      // the last exchange with the hub succeeded
	Unauthorized   bool      // the hub refuses the token (401/403): an administrator must act
	BadCertificate bool      // the hub's TLS certificate is not trusted: an administrator must act
	LastSuccess    time.Time // end of the last successful exchange
	LastAttempt    time.Time // start of the last exchange
	LastError      string    // why the last exchange failed; empty after a success
}

// Refused reports whether the hub is reachable but refuses the terminal (token or certificate): retrying
// fast cannot help, so the backoff slows down to Config.UnauthorizedInterval.
func refused(err error) bool {
	return errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrCertificate)
}

// Combine merges the link states of the replayer and the puller into the one the status bar shows: online
// only when every part that has tried is online, refused when either is refused, the latest success and the
// error of the latest failed attempt.
func Combine(parts ...Status) Status {
	var out Status
	tried := false
	out.Online = true
	var lastFail time.Time
	for _, p := range parts {
		if p.LastAttempt.IsZero() && p.LastSuccess.IsZero() {
			continue // never tried: it says nothing about the link
		}
		tried = true
		out.Online = out.Online && p.Online
		out.Unauthorized = out.Unauthorized || p.Unauthorized
		out.BadCertificate = out.BadCertificate || p.BadCertificate
		if p.LastSuccess.After(out.LastSuccess) {
			out.LastSuccess = p.LastSuccess
		}
		if p.LastAttempt.After(out.LastAttempt) {
			out.LastAttempt = p.LastAttempt
		}
		if p.LastError != "" && !p.LastAttempt.Before(lastFail) {
			out.LastError, lastFail = p.LastError, p.LastAttempt
		}
	}
	out.Online = out.Online && tried
	return out
}

// link keeps a Status up to date from the outcomes of exchanges; safe for concurrent use.
type link struct {
	mu     sync.Mutex
	status Status
}

func (l *link) snapshot() Status {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.status
}

func (l *link) attempt() {
	l.mu.Lock()
	l.status.LastAttempt = time.Now()
	l.mu.Unlock()
}

func (l *link) online() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.status.Online
}

// succeeded records an exchange the hub answered as expected.
func (l *link) succeeded() {
	l.mu.Lock()
	l.status.Online, l.status.Unauthorized, l.status.BadCertificate = true, false, false
	l.status.LastSuccess, l.status.LastError = time.Now(), ""
	l.mu.Unlock()
}

// failed records err and returns it. An HTTP answer says whether the token is refused and proves the
// certificate was accepted; a transport error says nothing about the token, which keeps its last state.
func (l *link) failed(err error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.status.Online = false
	l.status.LastError = err.Error()
	var herr *HTTPError
	if errors.As(err, &herr) {
		l.status.Unauthorized = errors.Is(herr, ErrUnauthorized)
		l.status.BadCertificate = false
		return err
	}
	l.status.BadCertificate = errors.Is(err, ErrCertificate)
	return err
}

// transportError wraps an error of http.Client.Do, marking certificate failures with ErrCertificate.
func transportError(what string, err error) error {
	if certificateFailure(err) {
		return fmt.Errorf("%s: %w: %w", what, ErrCertificate, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func certificateFailure(err error) bool {
	var (
		verify    *tls.CertificateVerificationError
		unknown   x509.UnknownAuthorityError
		invalid   x509.CertificateInvalidError
		hostname  x509.HostnameError
		untrusted *x509.UnknownAuthorityError
	)
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &invalid) ||
		errors.As(err, &hostname) || errors.As(err, &untrusted)
}

// authorize sets the headers every request to the hub carries.
func authorize(req *http.Request, token string) {
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
}
