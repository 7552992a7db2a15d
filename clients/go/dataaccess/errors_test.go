package dataaccess

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestEveryCodeHasSentinelAndName(t *testing.T) {
	for code := codes.Canceled; code <= codes.Unauthenticated; code++ {
		err := toError(status.Error(code, "boom"))
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%v: not an *Error: %T", code, err)
		}
		info := codeInfo[code]
		if info.sentinel == nil || !errors.Is(err, info.sentinel) {
			t.Errorf("%v: does not match its sentinel", code)
		}
		if e.CodeName() != info.name || e.Message != "boom" || status.Code(err) != code {
			t.Errorf("%v: name %q message %q status %v", code, e.CodeName(), e.Message, status.Code(err))
		}
		for other, oinfo := range codeInfo {
			if other != code && errors.Is(err, oinfo.sentinel) {
				t.Errorf("%v matches the sentinel of %v", code, other)
			}
		}
	}
}

func TestErrorNamesAndContextErrors(t *testing.T) {
	names := map[codes.Code]string{
		codes.NotFound: "NOT_FOUND", codes.Aborted: "ABORTED", codes.FailedPrecondition: "FAILED_PRECONDITION",
		codes.AlreadyExists: "ALREADY_EXISTS", codes.InvalidArgument: "INVALID_ARGUMENT", codes.Canceled: "CANCELLED",
	}
	for code, name := range names {
		if got := (&Error{Code: code}).CodeName(); got != name {
			t.Errorf("%v: got %q want %q", code, got, name)
		}
	}
	if !errors.Is(toError(status.Error(codes.Aborted, "")), ErrConflict) {
		t.Error("ABORTED must be ErrConflict")
	}
	if !errors.Is(toError(status.Error(codes.FailedPrecondition, "")), ErrPreconditionFailed) {
		t.Error("FAILED_PRECONDITION must be ErrPreconditionFailed")
	}
	if !errors.Is(toError(status.Error(codes.DeadlineExceeded, "")), context.DeadlineExceeded) {
		t.Error("DEADLINE_EXCEEDED must match context.DeadlineExceeded")
	}
	if !errors.Is(toError(status.Error(codes.Canceled, "")), context.Canceled) {
		t.Error("CANCELLED must match context.Canceled")
	}
	if got := (&Error{Code: codes.Code(99)}).CodeName(); got != "CODE_99" {
		t.Errorf("unknown code name %q", got)
	}
}

func TestErrorInfoIsCarried(t *testing.T) {
	st, err := status.New(codes.Aborted, "version 3 is not 7").WithDetails(&errdetails.ErrorInfo{
		Reason: "VERSION_CONFLICT", Domain: "dataaccess.dev",
		Metadata: map[string]string{"entity": "item", "backend": "pg"},
	})
	if err != nil {
		t.Fatal(err)
	}
	wrapped := fmt.Errorf("saving: %w", toError(st.Err()))
	var e *Error
	if !errors.As(wrapped, &e) {
		t.Fatal("errors.As failed through wrapping")
	}
	if e.Reason != "VERSION_CONFLICT" || e.Domain != "dataaccess.dev" || e.Metadata["entity"] != "item" {
		t.Errorf("ErrorInfo not carried: %+v", e)
	}
	if want := "dataaccess: ABORTED (VERSION_CONFLICT): version 3 is not 7"; e.Error() != want {
		t.Errorf("Error() = %q want %q", e.Error(), want)
	}
	if !errors.Is(wrapped, ErrConflict) {
		t.Error("wrapped error must still match ErrConflict")
	}
	if toError(nil) != nil {
		t.Error("nil must stay nil")
	}
}

func TestNonStatusErrorIsUnknown(t *testing.T) {
	err := toError(errors.New("plain"))
	if !errors.Is(err, ErrUnknown) {
		t.Errorf("got %v", err)
	}
}

func TestLocalValidationIsInvalidArgument(t *testing.T) {
	if _, err := collect([]CallOption{MustNotExist()}, "Delete", useExpectedVersion|useAllowMissing); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("MustNotExist on Delete: got %v", err)
	}
	if _, err := collect([]CallOption{ExpectedVersion(1)}, "Get", 0); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("ExpectedVersion on Get: got %v", err)
	}
	var s string
	if _, err := collect([]CallOption{Rules(&s)}, "Get", 0); err != nil {
		t.Errorf("Rules on Get: %v", err)
	}
}
