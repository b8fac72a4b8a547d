package github

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// brokenAnswerError is a 200 whose body did not arrive whole or is not
// JSON: the connection closed mid-body, a proxy cut the response short, or
// the server sent something else. GET is safe to repeat, so the retrier
// asks again, and nothing broken ever reaches the ETag cache.
type brokenAnswerError struct {
	method, path string
	why          string
}

func (e *brokenAnswerError) Error() string {
	return fmt.Sprintf("GitHub's answer to %s %s %s; the network or a proxy in between broke it, refresh to try again", e.method, e.path, e.why)
}

// maxCheckedBody bounds the bodies read whole to be checked; larger ones
// (none of the JSON lists opsdrag reads come close) pass through unchecked.
const maxCheckedBody = 32 << 20

// checkAnswer reads a successful JSON answer whole and checks that it
// parses, so a body cut short is retried like a network error instead of
// failing the decode above, or worse, being kept by the cache. On success
// resp.Body is replaced by the bytes read.
func checkAnswer(req *http.Request, resp *http.Response) error {
	if resp.StatusCode != http.StatusOK || !isJSON(resp.Header.Get("Content-Type")) {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxCheckedBody+1))
	broken := func(why string, args ...any) error {
		_ = resp.Body.Close()
		return &brokenAnswerError{method: req.Method, path: req.URL.Path, why: fmt.Sprintf(why, args...)}
	}
	if err != nil {
		if resp.ContentLength > 0 {
			return broken("was cut short: the connection failed after %d of %d bytes (%v)", len(body), resp.ContentLength, err)
		}
		return broken("was cut short: the connection failed after %d bytes (%v)", len(body), err)
	}
	if len(body) > maxCheckedBody {
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(body), resp.Body), resp.Body}
		return nil
	}
	_ = resp.Body.Close()
	var syn *json.SyntaxError
	if err := json.Unmarshal(body, new(json.RawMessage)); err != nil {
		if errors.As(err, &syn) && syn.Offset < int64(len(body)) {
			return broken("is not valid JSON (%v at byte %d of %d)", err, syn.Offset, len(body))
		}
		return broken("was cut short: its JSON ends after %d bytes, unfinished", len(body))
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return nil
}

// isJSON reports whether a Content-Type names JSON (application/json, or
// GitHub's application/vnd.github+json and the like).
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/json" || (len(mt) > 5 && mt[len(mt)-5:] == "+json")
}
