package dev.dataaccess.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one unary call: deadline, retries, error translation, and the rules version from metadata.
 *
 * <p>The deadline covers the whole call, retries included. Only {@code UNAVAILABLE} is retried, and
 * only when the caller says the call is idempotent: a retried read is harmless, and a retried
 * version-checked write cannot apply twice (the second attempt would see the new version and fail).
 */
final class Caller {
  /** What a call returned, with the routing-rules version that served it. */
  record Reply<R>(R response, String rulesVersion) {}

  private final Channel channel;
  private final Duration deadline;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;

  Caller(Channel channel, Duration deadline, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    this.channel = channel;
    this.deadline = deadline;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
  }

  Caller withDeadline(Duration newDeadline) {
    return new Caller(channel, newDeadline, maxAttempts, initialBackoff, maxBackoff);
  }

  Duration deadline() {
    return deadline;
  }

  <Q, R> Reply<R> unary(MethodDescriptor<Q, R> method, Q request, boolean idempotent) {
    Deadline callDeadline = Deadline.after(deadline.toNanos(), TimeUnit.NANOSECONDS);
    for (int attempt = 1; ; attempt++) {
      AtomicReference<Metadata> headers = new AtomicReference<>();
      AtomicReference<Metadata> trailers = new AtomicReference<>();
      Channel capturing = ClientInterceptors.intercept(channel,
          MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
      try {
        R response = ClientCalls.blockingUnaryCall(
            capturing, method, CallOptions.DEFAULT.withDeadline(callDeadline), request);
        return new Reply<>(response, rulesVersion(headers.get(), trailers.get()));
      } catch (StatusRuntimeException e) {
        if (!idempotent || e.getStatus().getCode() != Status.Code.UNAVAILABLE || attempt >= maxAttempts) {
          throw Errors.translate(e);
        }
        long pauseNanos = backoffNanos(attempt);
        if (callDeadline.timeRemaining(TimeUnit.NANOSECONDS) <= pauseNanos) {
          throw Errors.translate(e);
        }
        try {
          TimeUnit.NANOSECONDS.sleep(pauseNanos);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw Errors.of(Status.Code.CANCELLED, "interrupted while waiting to retry", null, null, null,
              null, e);
        }
      }
    }
  }

  /** Exponential backoff with jitter: a random pause in [b/2, b) where b doubles per attempt. */
  long backoffNanos(int attempt) {
    long base = initialBackoff.toNanos();
    long cap = maxBackoff.toNanos();
    long b = Math.min(cap, base << Math.min(attempt - 1, 20));
    long half = Math.max(1, b / 2);
    return half + ThreadLocalRandom.current().nextLong(half);
  }

  private static String rulesVersion(Metadata headers, Metadata trailers) {
    if (trailers != null && trailers.containsKey(Errors.RULES_KEY)) {
      return trailers.get(Errors.RULES_KEY);
    }
    return headers == null ? null : headers.get(Errors.RULES_KEY);
  }
}
