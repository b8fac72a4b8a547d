package collectors

// CheckStatus is how one setup check ended.
type CheckStatus string

// The outcomes of a setup check.
const (
	// CheckOK: what was checked works.
	CheckOK CheckStatus = "ok"
	// CheckFailed: it does not; the check's Fix says what to do.
	CheckFailed CheckStatus = "fail"
	// CheckSkipped: there was nothing to check (the source is not
	// configured), or an earlier failure made the check meaningless.
	CheckSkipped CheckStatus = "skip"
)

// Check is the outcome of one check of a source's setup (opsdrag doctor):
// what was checked, what was found and, for a failure, the exact fix.
// Checks only ever read.
type Check struct {
	// Name says what was checked, e.g. "github token" or
	// "aws prod: cloudwatch:DescribeAlarms".
	Name   string
	Status CheckStatus
	// Detail is what was found, in one line.
	Detail string
	// Fix is what to do about a failure or a skip; empty when it passed.
	Fix string
}
