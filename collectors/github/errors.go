package github

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	gh "github.com/google/go-github/v93/github"
)

// need names the token permission an endpoint requires, for fine-grained
// tokens and for classic ones.
type need struct {
	fine    string
	classic string
}

var (
	needMetadata = need{fine: "Metadata: Read-only", classic: "repo"}
	needActions  = need{fine: "Actions: Read-only", classic: "repo"}
	needPulls    = need{fine: "Pull requests: Read-only", classic: "repo"}
)

// authError is a token GitHub rejected: nothing can be collected with it.
type authError struct {
	source string
	detail string
}

func (e *authError) Error() string {
	return fmt.Sprintf("GitHub rejected the token from %s (401 %s): it is wrong, expired or revoked; "+
		"create a new one (read-only Actions, Pull requests, Contents and Metadata) and export it as GITHUB_TOKEN, or run gh auth login",
		e.source, e.detail)
}

// problems gathers what went wrong during one collection, as one-line
// warnings that name what failed and what to do, without repeating the
// rate-limit warning for every request it stopped.
type problems struct {
	tok token
	now func() time.Time

	mu       sync.Mutex
	warnings []string
	rate     string
	fatal    error
	// byContext is set when a context ended the collection.
	byContext bool
}

// add records err, which happened while trying to do what (e.g. "list its
// workflows"); repo, when set, is the repository it concerned and n the
// permission the call needs.
func (p *problems) add(err error, what, repo string, n need) {
	if err == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	prefix := ""
	if repo != "" {
		prefix = repo + ": "
	}
	var (
		broken *brokenAnswerError
		be     *budgetError
		rle    *gh.RateLimitError
		abuse  *gh.AbuseRateLimitError
		er     *gh.ErrorResponse
	)
	switch {
	case errors.As(err, &be):
		if p.rate == "" {
			p.rate = be.Error()
		}
	case errors.As(err, &rle):
		if p.rate == "" {
			p.rate = fmt.Sprintf("GitHub API rate limit exhausted (%d requests an hour): stopped early; %s",
				rle.Rate.Limit, resetsAt(rle.Rate.Reset.Time, p.now()))
		}
	case errors.As(err, &abuse):
		p.warn(fmt.Sprintf("%scould not %s: GitHub's secondary rate limit persisted after retries; lower github.concurrency or refresh later", prefix, what))
	case errors.As(err, &er) && er.Response != nil:
		p.addResponse(er, what, prefix, n)
	case errors.As(err, &broken):
		// Said without go-github's "Get <URL>:", whose query hides the point.
		p.warn(fmt.Sprintf("%scould not %s: %v", prefix, what, broken))
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		p.byContext = true
		p.warn(fmt.Sprintf("%sstopped while trying to %s: %v", prefix, what, err))
	default:
		p.warn(fmt.Sprintf("%scould not %s: %v", prefix, what, err))
	}
}

// statusOf is the HTTP status of the GitHub error response err carries,
// with the response; 0 and nil when it carries none.
func statusOf(err error) (int, *gh.ErrorResponse) {
	if er, ok := errors.AsType[*gh.ErrorResponse](err); ok && er.Response != nil {
		return er.Response.StatusCode, er
	}
	return 0, nil
}

func (p *problems) addResponse(er *gh.ErrorResponse, what, prefix string, n need) {
	code := er.Response.StatusCode
	msg := strings.TrimSpace(er.Message)
	switch code {
	case http.StatusUnauthorized:
		if p.fatal == nil {
			p.fatal = &authError{source: p.tok.source, detail: cmp.Or(msg, "Bad credentials")}
		}
	case http.StatusForbidden:
		if sso := er.Response.Header.Get("X-GitHub-SSO"); sso != "" {
			p.warn(fmt.Sprintf("%sthe token is not authorized for this organisation's SAML single sign-on; authorize it (GitHub → Settings → Developer settings → tokens → Configure SSO)", prefix))
			return
		}
		hint := fmt.Sprintf("a fine-grained token needs %s on it, a classic token the %q scope", n.fine, n.classic)
		if acc := er.Response.Header.Get("X-Accepted-GitHub-Permissions"); acc != "" {
			hint += fmt.Sprintf(" (GitHub asks for %s)", acc)
		}
		p.warn(fmt.Sprintf("%saccess denied while trying to %s (403 %s): %s", prefix, what, msg, hint))
	case http.StatusNotFound:
		p.warn(fmt.Sprintf("%snot found while trying to %s, or the token cannot see it: a fine-grained token must be granted this repository with %s, a classic token needs the %q scope for private repositories",
			prefix, what, n.fine, n.classic))
	default:
		p.warn(fmt.Sprintf("%scould not %s: GitHub answered %d %s", prefix, what, code, msg))
	}
}

// addGraphQL records an error GitHub's GraphQL API reported for part of an
// answer (one repository, one pull request), worded as the REST ones are.
func (p *problems) addGraphQL(e gqlError, what, repo string, n need) {
	p.mu.Lock()
	defer p.mu.Unlock()
	prefix := ""
	if repo != "" {
		prefix = repo + ": "
	}
	msg := strings.TrimSpace(e.Message)
	switch {
	case strings.Contains(msg, "SAML"):
		p.warn(fmt.Sprintf("%sthe token is not authorized for this organisation's SAML single sign-on; authorize it (GitHub → Settings → Developer settings → tokens → Configure SSO)", prefix))
	case e.Type == "FORBIDDEN":
		p.warn(fmt.Sprintf("%saccess denied while trying to %s (%s): a fine-grained token needs %s on it, a classic token the %q scope",
			prefix, what, msg, n.fine, n.classic))
	case e.Type == "NOT_FOUND":
		p.warn(fmt.Sprintf("%snot found while trying to %s, or the token cannot see it: a fine-grained token must be granted this repository with %s, a classic token needs the %q scope for private repositories",
			prefix, what, n.fine, n.classic))
	default:
		p.warn(fmt.Sprintf("%scould not %s: GitHub's GraphQL API said %q", prefix, what, msg))
	}
}

// warnf records a warning of its own making.
func (p *problems) warnf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.warn(fmt.Sprintf(format, args...))
}

// merge adds what o recorded (the shared repository listing's problems) to p.
func (p *problems) merge(o *problems) {
	o.mu.Lock()
	ws, rate, fatal, byCtx := slices.Clone(o.warnings), o.rate, o.fatal, o.byContext
	o.mu.Unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range ws {
		p.warn(w)
	}
	if p.rate == "" {
		p.rate = rate
	}
	if p.fatal == nil {
		p.fatal = fatal
	}
	p.byContext = p.byContext || byCtx
}

// stoppedByContext reports whether a context ended the work p describes.
func (p *problems) stoppedByContext() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.byContext
}

func (p *problems) warn(w string) {
	if !slices.Contains(p.warnings, w) {
		p.warnings = append(p.warnings, w)
	}
}

// result returns the fatal error, if any, and the warnings, the rate-limit
// one first, the rest sorted.
func (p *problems) result() ([]string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ws := slices.Clone(p.warnings)
	slices.Sort(ws)
	if p.rate != "" {
		ws = append([]string{p.rate}, ws...)
	}
	return ws, p.fatal
}
