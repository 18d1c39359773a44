//go:build !js

package light

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
)

// maxResponse bounds an endpoint's answer (an active set of MaxRelayViews
// entries with their addresses fits well inside it).
const maxResponse = 64 << 20

// HTTPCaller returns a [Caller] that posts to a JSON-RPC endpoint over
// HTTP with client (http.DefaultClient if nil). The browser core does
// not use it: it calls fetch, without net/http's weight.
func HTTPCaller(url string, client *http.Client) Caller {
	if client == nil {
		client = http.DefaultClient
	}
	return func(ctx context.Context, body []byte) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
		if err != nil {
			return nil, err
		}
		if len(b) > maxResponse {
			return nil, fmt.Errorf("%s: answer larger than %d bytes", url, maxResponse)
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: HTTP %s", url, resp.Status)
		}
		return b, nil
	}
}
