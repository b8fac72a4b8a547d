package awscollect

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/opsdrag/opsdrag/model"
)

// kind sorts an AWS failure by what the user can do about it.
type kind int

const (
	kindOther kind = iota
	// kindDenied: the credentials lack an IAM permission.
	kindDenied
	// kindUnsupported: the endpoint does not implement the operation (an
	// emulator, or a partition without the service).
	kindUnsupported
	// kindNotOffered: the service has no endpoint in this region.
	kindNotOffered
	kindNoCredentials
	kindSSOExpired
	kindExpired
	kindRejected
	kindThrottled
	kindCancelled
	kindNoProfile
)

// problem is an AWS failure reduced to what a person needs: what failed,
// why, and (with the profile) what to run to fix it. It never carries a
// request ID, a stack trace or a raw SDK dump.
type problem struct {
	kind kind
	// action is the IAM action that failed, e.g. "ecs:ListServices".
	action string
	code   string
	text   string
	// cause is the error classified.
	cause error
}

var (
	deniedCodes = set("AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess",
		"AuthorizationError", "AuthorizationErrorException", "Forbidden", "ForbiddenException", "OptInRequired")
	unsupportedCodes = set("InvalidAction", "UnknownOperationException", "UnknownOperation", "NotImplemented",
		"UnsupportedOperation", "UnsupportedOperationException", "UnknownService")
	expiredCodes  = set("ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired")
	rejectedCodes = set("InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "AuthFailure",
		"InvalidAccessKeyId", "IncompleteSignature", "InvalidSignatureException", "MissingAuthenticationToken",
		"MissingAuthenticationTokenException")
)

func set(codes ...string) map[string]bool {
	m := make(map[string]bool, len(codes))
	for _, c := range codes {
		m[c] = true
	}
	return m
}

// classify turns an error from the SDK into a problem.
func classify(err error) problem {
	p := problem{cause: err}
	var op *smithy.OperationError
	if errors.As(err, &op) {
		p.action = iamAction(op.ServiceID, op.OperationName)
	}
	var noProfile awsconfig.SharedConfigProfileNotExistError
	var ssoErr *ssocreds.InvalidTokenError
	var apiErr smithy.APIError
	var dnsErr *net.DNSError
	var respErr *smithyhttp.ResponseError
	msg := err.Error()
	switch {
	case errors.Is(err, context.Canceled):
		p.kind, p.text = kindCancelled, "cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		p.kind, p.text = kindCancelled, "timed out"
	case errors.As(err, &noProfile):
		p.kind, p.text = kindNoProfile, fmt.Sprintf("profile %q is not in the AWS config files", noProfile.Profile)
	case errors.As(err, &ssoErr), isCredentialError(msg) && strings.Contains(strings.ToLower(msg), "sso"):
		p.kind, p.text = kindSSOExpired, "the SSO session has expired or was never started"
	case isCredentialError(msg):
		p.kind, p.text = kindNoCredentials, "no credentials found"
	case errors.As(err, &apiErr):
		p.code = apiErr.ErrorCode()
		p.text = p.code
		if m := firstLine(apiErr.ErrorMessage()); m != "" {
			p.text += ": " + m
		}
		switch {
		case deniedCodes[p.code]:
			p.kind = kindDenied
		case unsupportedCodes[p.code]:
			p.kind = kindUnsupported
		case expiredCodes[p.code]:
			p.kind = kindExpired
		case rejectedCodes[p.code]:
			p.kind = kindRejected
		case isThrottle(p.code):
			p.kind = kindThrottled
		}
		if p.kind == kindOther && errors.As(err, &respErr) && respErr.HTTPStatusCode() == 404 {
			p.kind = kindUnsupported
		}
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		p.kind, p.text = kindNotOffered, "no endpoint "+dnsErr.Name
	case errors.As(err, &respErr) && respErr.HTTPStatusCode() != 0:
		p.code = fmt.Sprint(respErr.HTTPStatusCode())
		p.text = "HTTP " + p.code
		if respErr.HTTPStatusCode() == 404 {
			p.kind = kindUnsupported
		}
	default:
		p.text = shortError(err)
	}
	return p
}

func isThrottle(code string) bool {
	_, ok := retry.DefaultThrottleErrorCodes[code]
	return ok
}

// isCredentialError reports whether an error message comes from the SDK's
// credential chain rather than from a service.
func isCredentialError(msg string) bool {
	for _, s := range []string{"failed to retrieve credentials", "failed to refresh cached credentials",
		"no EC2 IMDS role found", "static credentials are empty", "credentials not found", "no credentials"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// shortError keeps the innermost, most specific part of an error chain on
// one line: the SDK wraps causes as "operation error X: https response
// error StatusCode: 0, RequestID: , …: <cause>".
func shortError(err error) string {
	var op *smithy.OperationError
	if errors.As(err, &op) && op.Err != nil {
		err = op.Err
	}
	var netErr *net.OpError
	if errors.As(err, &netErr) {
		return firstLine(netErr.Error())
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ", "); i > 0 && strings.Contains(msg, "RequestID") {
		msg = msg[i+2:]
	}
	return firstLine(msg)
}

// firstLine returns the first line of s, cleaned of control characters and
// cut to a length that fits a status line.
func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	s = model.CleanText(s)
	const max = 160
	if r := []rune(s); len(r) > max {
		s = string(r[:max-1]) + "…"
	}
	return s
}

// who names a profile in messages.
func who(profile string) string {
	if profile == "" {
		return "the default AWS credentials"
	}
	return fmt.Sprintf("AWS profile %q", profile)
}

// flag is the --profile flag of the aws CLI for profile, or "".
func flag(profile string) string {
	if profile == "" {
		return ""
	}
	return " --profile " + profile
}

// message says what went wrong with profile's request and what to do.
func (p problem) message(profile string) string {
	switch p.kind {
	case kindDenied:
		if p.action != "" {
			return fmt.Sprintf("permission denied for %s (%s): add it to the role's policy (docs/aws.md lists the read-only policy)", p.action, p.code)
		}
		return fmt.Sprintf("permission denied (%s): see docs/aws.md for the read-only policy", p.text)
	case kindUnsupported:
		return fmt.Sprintf("%s is not supported by this endpoint (%s)", orWord(p.action, "the call"), p.code)
	case kindNotOffered:
		return fmt.Sprintf("%s is not offered in this region (%s)", orWord(p.action, "the service"), p.text)
	case kindNoCredentials:
		return fmt.Sprintf("no AWS credentials found for %s: run `aws configure%s` or `aws sso login%s`, or list your profiles in aws.profiles",
			who(profile), flag(profile), flag(profile))
	case kindSSOExpired:
		return fmt.Sprintf("the AWS SSO session of %s has expired: run `aws sso login%s`", who(profile), flag(profile))
	case kindExpired:
		return fmt.Sprintf("the credentials of %s have expired (%s): run `aws sso login%s` for SSO, or renew them", who(profile), p.code, flag(profile))
	case kindRejected:
		return fmt.Sprintf("AWS rejected the credentials of %s (%s): check them with `aws sts get-caller-identity%s`", who(profile), p.code, flag(profile))
	case kindNoProfile:
		return fmt.Sprintf("%s: fix aws.profiles in the opsdrag config or run `aws configure%s`", p.text, flag(profile))
	case kindThrottled:
		return fmt.Sprintf("%s throttled by AWS (%s) even after retrying: try again in a few minutes", orWord(p.action, "request"), p.code)
	}
	// Transport failures (refused, reset, timed out) read the same for
	// every call, so they fold into one warning per place.
	if p.action != "" && p.code != "" {
		return p.action + ": " + p.text
	}
	return p.text
}

// credentialKinds are the problems that concern a whole profile rather than
// one call: when one of them happens, nothing else of that profile works.
func (p problem) credential() bool {
	switch p.kind {
	case kindNoCredentials, kindSSOExpired, kindExpired, kindRejected, kindNoProfile:
		return true
	}
	return false
}

func orWord(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
