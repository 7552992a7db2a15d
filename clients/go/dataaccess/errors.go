package dataaccess

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Sentinel errors, one per gRPC code. Every error a Client returns for a failed call is an *Error,
// and errors.Is(err, ErrNotFound) and the like tell which kind it is.
var (
	// ErrCanceled: the call was cancelled, usually by the caller's context (CANCELLED).
	// errors.Is(err, context.Canceled) also holds.
	ErrCanceled = errors.New("dataaccess: cancelled")
	// ErrUnknown: an error the server did not classify (UNKNOWN).
	ErrUnknown = errors.New("dataaccess: unknown error")
	// ErrInvalidArgument: the request is malformed, e.g. an unknown entity, a decimal sent as a
	// number, or a bad field path (INVALID_ARGUMENT). ErrorInfo metadata names the field.
	ErrInvalidArgument = errors.New("dataaccess: invalid argument")
	// ErrDeadlineExceeded: the deadline passed before the call completed (DEADLINE_EXCEEDED).
	// errors.Is(err, context.DeadlineExceeded) also holds.
	ErrDeadlineExceeded = errors.New("dataaccess: deadline exceeded")
	// ErrNotFound: the document does not exist (NOT_FOUND).
	ErrNotFound = errors.New("dataaccess: not found")
	// ErrAlreadyExists: a write with MustNotExist found the document (ALREADY_EXISTS).
	ErrAlreadyExists = errors.New("dataaccess: already exists")
	// ErrPermissionDenied: the caller may not do this (PERMISSION_DENIED).
	ErrPermissionDenied = errors.New("dataaccess: permission denied")
	// ErrResourceExhausted: a limit or quota was hit; back off (RESOURCE_EXHAUSTED).
	ErrResourceExhausted = errors.New("dataaccess: resource exhausted")
	// ErrPreconditionFailed: an update's condition did not hold, or the document is not in a
	// state the call needs; nothing was written (FAILED_PRECONDITION).
	ErrPreconditionFailed = errors.New("dataaccess: precondition failed")
	// ErrConflict: the document's version differs from the expected one; re-read and retry
	// (ABORTED, reason VERSION_CONFLICT).
	ErrConflict = errors.New("dataaccess: version conflict")
	// ErrOutOfRange: a value or page position is out of range (OUT_OF_RANGE).
	ErrOutOfRange = errors.New("dataaccess: out of range")
	// ErrUnimplemented: the entity's store lacks the capability the call needs (UNIMPLEMENTED).
	ErrUnimplemented = errors.New("dataaccess: unimplemented")
	// ErrInternal: the proxy failed (INTERNAL).
	ErrInternal = errors.New("dataaccess: internal error")
	// ErrUnavailable: the proxy or its store cannot be reached right now (UNAVAILABLE).
	ErrUnavailable = errors.New("dataaccess: unavailable")
	// ErrDataLoss: unrecoverable data loss or corruption (DATA_LOSS).
	ErrDataLoss = errors.New("dataaccess: data loss")
	// ErrUnauthenticated: the call carried no valid token (UNAUTHENTICATED).
	ErrUnauthenticated = errors.New("dataaccess: unauthenticated")
)

// codeInfo is the one table mapping gRPC codes to canonical names and sentinels.
var codeInfo = map[codes.Code]struct {
	name     string
	sentinel error
}{
	codes.Canceled:           {"CANCELLED", ErrCanceled},
	codes.Unknown:            {"UNKNOWN", ErrUnknown},
	codes.InvalidArgument:    {"INVALID_ARGUMENT", ErrInvalidArgument},
	codes.DeadlineExceeded:   {"DEADLINE_EXCEEDED", ErrDeadlineExceeded},
	codes.NotFound:           {"NOT_FOUND", ErrNotFound},
	codes.AlreadyExists:      {"ALREADY_EXISTS", ErrAlreadyExists},
	codes.PermissionDenied:   {"PERMISSION_DENIED", ErrPermissionDenied},
	codes.ResourceExhausted:  {"RESOURCE_EXHAUSTED", ErrResourceExhausted},
	codes.FailedPrecondition: {"FAILED_PRECONDITION", ErrPreconditionFailed},
	codes.Aborted:            {"ABORTED", ErrConflict},
	codes.OutOfRange:         {"OUT_OF_RANGE", ErrOutOfRange},
	codes.Unimplemented:      {"UNIMPLEMENTED", ErrUnimplemented},
	codes.Internal:           {"INTERNAL", ErrInternal},
	codes.Unavailable:        {"UNAVAILABLE", ErrUnavailable},
	codes.DataLoss:           {"DATA_LOSS", ErrDataLoss},
	codes.Unauthenticated:    {"UNAUTHENTICATED", ErrUnauthenticated},
}

// Error is a failed call: the gRPC code and message, plus the google.rpc.ErrorInfo the proxy
// attaches (domain "dataaccess.dev", a reason such as VERSION_CONFLICT, metadata such as entity,
// backend and field). Match it with errors.Is against the Err* sentinels, or errors.As to read it.
type Error struct {
	// Code is the gRPC status code.
	Code codes.Code
	// Message is the status message.
	Message string
	// Reason is ErrorInfo.reason, e.g. "VERSION_CONFLICT"; empty if the server sent no ErrorInfo.
	Reason string
	// Domain is ErrorInfo.domain, e.g. "dataaccess.dev".
	Domain string
	// Metadata is ErrorInfo.metadata, e.g. {"entity": "item", "field": "price"}; nil if none.
	Metadata map[string]string

	status *status.Status
}

// CodeName returns the canonical name of the code, e.g. "NOT_FOUND" or "ABORTED".
func (e *Error) CodeName() string {
	if info, ok := codeInfo[e.Code]; ok {
		return info.name
	}
	return fmt.Sprintf("CODE_%d", uint32(e.Code))
}

// Error formats the code, the reason if any and the message.
func (e *Error) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("dataaccess: %s (%s): %s", e.CodeName(), e.Reason, e.Message)
	}
	return fmt.Sprintf("dataaccess: %s: %s", e.CodeName(), e.Message)
}

// Is reports whether target is the sentinel for e's code; CANCELLED also matches context.Canceled
// and DEADLINE_EXCEEDED context.DeadlineExceeded.
func (e *Error) Is(target error) bool {
	if info, ok := codeInfo[e.Code]; ok && target == info.sentinel {
		return true
	}
	switch e.Code {
	case codes.Canceled:
		return target == context.Canceled
	case codes.DeadlineExceeded:
		return target == context.DeadlineExceeded
	}
	return false
}

// GRPCStatus returns the underlying status, so status.Code(err) and status.FromError(err) work.
func (e *Error) GRPCStatus() *status.Status {
	if e.status == nil {
		return status.New(e.Code, e.Message)
	}
	return e.status
}

// toError converts an error from a gRPC call into an *Error; nil stays nil. An error that carries no
// gRPC status (which grpc-go does not return) becomes UNKNOWN with the error's text.
func toError(err error) error {
	if err == nil {
		return nil
	}
	var already *Error
	if errors.As(err, &already) {
		return err
	}
	st, ok := status.FromError(err)
	if !ok {
		return &Error{Code: codes.Unknown, Message: err.Error(), status: st}
	}
	e := &Error{Code: st.Code(), Message: st.Message(), status: st}
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			e.Reason, e.Domain, e.Metadata = info.GetReason(), info.GetDomain(), info.GetMetadata()
			break
		}
	}
	return e
}

// invalid is a request the client rejects before sending it.
func invalid(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: codes.InvalidArgument, Message: msg}
}
