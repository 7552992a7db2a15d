package dataaccess

import dataaccessv1 "github.com/dataaccess/proxy/clients/go/gen/dataaccess/v1"

// CallOption adjusts one call: preconditions for writes, or reading the rules version. A call
// given an option that does not apply to it fails with ErrInvalidArgument before anything is sent.
type CallOption func(*callOptions)

// which options a call accepts; Rules applies to every call.
const (
	useExpectedVersion = 1 << iota
	useMustNotExist
	useMustExist
	useAllowMissing

	usePrecondition = useExpectedVersion | useMustNotExist | useMustExist
)

var optionNames = map[int]string{
	useExpectedVersion: "ExpectedVersion", useMustNotExist: "MustNotExist",
	useMustExist: "MustExist", useAllowMissing: "AllowMissing",
}

type callOptions struct {
	expectedVersion int64
	mustNotExist    bool
	mustExist       bool
	allowMissing    bool
	rules           *string
	used            int
}

// ExpectedVersion makes a Put, Update or Delete apply only if the document's current version is v;
// otherwise the call fails with ErrConflict. Put and Delete with it are retried after UNAVAILABLE
// (a retry of a write that did land then fails with ErrConflict).
func ExpectedVersion(v int64) CallOption {
	return func(o *callOptions) { o.expectedVersion = v; o.used |= useExpectedVersion }
}

// MustNotExist makes a Put or Update a create: it fails with ErrAlreadyExists if the document exists.
func MustNotExist() CallOption {
	return func(o *callOptions) { o.mustNotExist = true; o.used |= useMustNotExist }
}

// MustExist makes a Put or Update fail with ErrNotFound if the document does not exist.
func MustExist() CallOption {
	return func(o *callOptions) { o.mustExist = true; o.used |= useMustExist }
}

// AllowMissing makes a Delete of a document that does not exist succeed (version 0) instead of
// failing with ErrNotFound.
func AllowMissing() CallOption {
	return func(o *callOptions) { o.allowMissing = true; o.used |= useAllowMissing }
}

// Rules stores in *dst the version of the routing rules that served the call (the
// x-dataaccess-rules trailer), on success and on failure alike; *dst is unchanged if none came.
func Rules(dst *string) CallOption {
	return func(o *callOptions) { o.rules = dst }
}

// collect applies opts and rejects those that the call (named for the message) does not accept.
func collect(opts []CallOption, call string, accepted int) (*callOptions, error) {
	co := &callOptions{}
	for _, apply := range opts {
		apply(co)
	}
	if extra := co.used &^ accepted; extra != 0 {
		for bit := 1; bit <= extra; bit <<= 1 {
			if extra&bit != 0 {
				return nil, invalid("%s does not accept the %s option", call, optionNames[bit])
			}
		}
	}
	return co, nil
}

func (co *callOptions) precondition() *dataaccessv1.Precondition {
	if co.expectedVersion == 0 && !co.mustNotExist && !co.mustExist {
		return nil
	}
	return &dataaccessv1.Precondition{
		ExpectedVersion: co.expectedVersion, MustNotExist: co.mustNotExist, MustExist: co.mustExist,
	}
}
