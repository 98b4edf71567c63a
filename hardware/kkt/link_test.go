package kkt

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLinkScenarios(t *testing.T) {
	good := func(t *testing.T) []byte { return unhex(t, "02 03 88 00 1E 95") }
	stale := func(t *testing.T) []byte { return unhex(t, "02 02 41 73 30") }
	tests := []struct {
		name    string
		cfg     Config
		script  func(t *testing.T, p *peer)
		wantErr []error // each must match with errors.Is; none: success
	}{
		{
			name: "stale answer is read, acknowledged and dropped",
			script: func(t *testing.T, p *peer) {
				p.expect(ENQ)
				p.write(ACK)
				p.write(stale(t)...)
				p.expect(ACK)
				p.exchange(good(t))
			},
		},
		{
			name: "stale answer sent straight after ENQ",
			script: func(t *testing.T, p *peer) {
				p.expect(ENQ)
				p.write(stale(t)...)
				p.expect(ACK)
				p.exchange(good(t))
			},
		},
		{
			name: "NAK on the frame makes the host send it again",
			script: func(t *testing.T, p *peer) {
				p.expect(ENQ)
				p.write(NAK)
				p.readFrame()
				p.write(NAK)
				p.readFrame()
				p.write(ACK)
				p.write(good(t)...)
				p.expect(ACK)
			},
		},
		{
			name: "bad LRC in the answer: NAK, device repeats",
			script: func(t *testing.T, p *peer) {
				p.expect(ENQ)
				p.write(NAK)
				p.readFrame()
				p.write(ACK)
				bad := good(t)
				bad[len(bad)-1] ^= 0x55
				p.write(bad...)
				p.expect(NAK)
				p.write(good(t)...)
				p.expect(ACK)
			},
		},
		{
			name: "bad LRC in the answer: NAK, device waits for ENQ",
			script: func(t *testing.T, p *peer) {
				p.expect(ENQ)
				p.write(NAK)
				p.readFrame()
				p.write(ACK)
				bad := good(t)
				bad[3] ^= 0x01
				p.write(bad...)
				p.expect(NAK)
				p.expect(ENQ)
				p.write(ACK)
				p.write(good(t)...)
				p.expect(ACK)
			},
		},
		{
			name: "0xFF after ACK is skipped",
			script: func(t *testing.T, p *peer) {
				p.expect(ENQ)
				p.write(NAK, 0xFF)
				p.readFrame()
				p.write(ACK, 0xFF)
				p.write(good(t)...)
				p.expect(ACK)
			},
		},
		{
			name: "answer timeout, ENQ, ACK: the pending answer is read",
			cfg:  Config{Timeouts: map[Command]time.Duration{CmdCancelReceipt: 50 * time.Millisecond}},
			script: func(t *testing.T, p *peer) {
				p.expect(ENQ)
				p.write(NAK)
				p.readFrame()
				p.write(ACK)
				p.expect(ENQ) // the host gave up waiting and asks
				p.write(ACK)
				p.write(good(t)...)
				p.expect(ACK)
			},
		},
		{
			name: "answer timeout, ENQ, NAK: outcome unknown, nothing re-sent",
			cfg:  Config{Timeouts: map[Command]time.Duration{CmdCancelReceipt: 50 * time.Millisecond}},
			script: func(t *testing.T, p *peer) {
				p.expect(ENQ)
				p.write(NAK)
				p.readFrame()
				p.write(ACK)
				p.expect(ENQ)
				p.write(NAK)
			},
			wantErr: []error{ErrOutcomeUnknown},
		},
		{
			name: "lost ACK of the frame, ENQ answered ACK: the answer follows",
			cfg:  Config{EnqTimeout: 50 * time.Millisecond},
			script: func(t *testing.T, p *peer) {
				p.expect(ENQ)
				p.write(NAK)
				p.readFrame()
				p.expect(ENQ)
				p.write(ACK)
				p.write(good(t)...)
				p.expect(ACK)
			},
		},
		{
			name: "no answer to ENQ: no link, nothing sent",
			cfg:  Config{EnqTimeout: 20 * time.Millisecond, Retries: 2},
			script: func(t *testing.T, p *peer) {
				for range 3 {
					p.expect(ENQ)
				}
			},
			wantErr: []error{ErrNoLink},
		},
		{
			name: "device goes silent after taking the frame",
			cfg: Config{EnqTimeout: 20 * time.Millisecond, Retries: 1,
				Timeouts: map[Command]time.Duration{CmdCancelReceipt: 20 * time.Millisecond}},
			script: func(t *testing.T, p *peer) {
				p.expect(ENQ)
				p.write(NAK)
				p.readFrame()
				p.write(ACK)
				p.expect(ENQ)
				p.expect(ENQ)
			},
			wantErr: []error{ErrNoLink, ErrOutcomeUnknown},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, done := newPeerDriver(t, tt.cfg, func(p *peer) { tt.script(t, p) })
			err := d.CancelReceipt(context.Background())
			<-done
			if len(tt.wantErr) == 0 && err != nil {
				t.Fatalf("err = %v", err)
			}
			if len(tt.wantErr) > 0 && err == nil {
				t.Fatalf("no error, want %v", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !errors.Is(err, w) {
					t.Errorf("err = %v, want it to match %v", err, w)
				}
			}
		})
	}
}

func TestContextCancelledBeforeSending(t *testing.T) {
	d, done := newPeerDriver(t, Config{}, func(p *peer) {})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	<-done
	if err := d.ZReport(ctx); !errors.Is(err, context.Canceled) || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want context.Canceled only", err)
	}
}
