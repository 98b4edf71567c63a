package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/kassa-pos/kassa/sync/wire"
)

// errNotOffered means the hub answered 404 for a feed: an older hub, or one that does not serve it. The
// link is fine; the feed is asked again next round.
var errNotOffered = errors.New("feed not offered by the hub")

// getPage fetches one page of feed after since and records the outcome in the puller's link state.
// buf holds the answer while it is decoded; the caller reuses it from page to page.
func getPage[T any](ctx context.Context, p *Puller, feed, since string, buf *bytes.Buffer) (wire.Page[T], error) {
	var page wire.Page[T]
	q := url.Values{}
	if since != "" {
		q.Set("since", since)
	}
	q.Set("limit", strconv.Itoa(p.cfg.PageSize))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+"/v1/"+feed+"?"+q.Encode(), nil)
	if err != nil {
		return page, p.link.failed(fmt.Errorf("get %s: build request: %w", feed, err))
	}
	authorize(req, p.cfg.Token)
	p.link.attempt()
	resp, err := p.cfg.HTTPClient.Do(req)
	if err != nil {
		if ctx.Err() != nil { // the round was stopped: that says nothing about the link
			return page, fmt.Errorf("get %s: %w", feed, ctx.Err())
		}
		return page, p.link.failed(transportError("get "+feed, err))
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
		p.link.succeeded()
		return page, errNotOffered
	default:
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		herr := &HTTPError{StatusCode: resp.StatusCode, Reason: answerReason(data)}
		return page, p.link.failed(fmt.Errorf("get %s: %w", feed, herr))
	}
	buf.Reset()
	_, err = buf.ReadFrom(io.LimitReader(resp.Body, maxPage+1))
	if err == nil && buf.Len() > maxPage {
		err = fmt.Errorf("page larger than %d bytes", maxPage)
	}
	if err == nil {
		err = json.Unmarshal(buf.Bytes(), &page)
	}
	if err != nil {
		if ctx.Err() != nil {
			return page, fmt.Errorf("get %s: %w", feed, ctx.Err())
		}
		return page, p.link.failed(fmt.Errorf("read %s page after %q: %w", feed, since, err))
	}
	p.link.succeeded()
	return page, nil
}
