package dev.dataaccess.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.dataaccess.v1.DataAccessServiceGrpc;
import dev.dataaccess.v1.DeleteRequest;
import dev.dataaccess.v1.DeleteResponse;
import dev.dataaccess.v1.GetRequest;
import dev.dataaccess.v1.GetResponse;
import dev.dataaccess.v1.PutRequest;
import dev.dataaccess.v1.PutResponse;
import dev.dataaccess.v1.QueryRequest;
import dev.dataaccess.v1.QueryResponse;
import dev.dataaccess.v1.UpdateRequest;
import dev.dataaccess.v1.UpdateResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against an in-process fake of the service: no network, no proxy. */
class ClientTest {
  private static final Metadata.Key<String> AUTH = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** How many of the next calls fail with UNAVAILABLE before the fake answers. */
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicReference<String> lastAuth = new AtomicReference<>();
  /** The deadline of the last {@code get} as the server saw it (null: none). */
  private final AtomicReference<Deadline> lastDeadline = new AtomicReference<>();
  private final ConcurrentLinkedQueue<Object> requests = new ConcurrentLinkedQueue<>();
  private Server server;
  private ManagedChannel channel;

  private final class Fake extends DataAccessServiceGrpc.DataAccessServiceImplBase {
    private boolean fail(StreamObserver<?> out) {
      calls.incrementAndGet();
      if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        out.onError(Status.UNAVAILABLE.withDescription("store down").asRuntimeException());
        return true;
      }
      return false;
    }

    private dev.dataaccess.v1.Document doc(String key, String json, long version) {
      return dev.dataaccess.v1.Document.newBuilder().setKey(key).setVersion(version)
          .setJson(ByteString.copyFrom(json, StandardCharsets.UTF_8)).build();
    }

    @Override
    public void get(GetRequest req, StreamObserver<GetResponse> out) {
      requests.add(req);
      lastDeadline.set(Context.current().getDeadline());
      if (fail(out)) {
        return;
      }
      if (req.getKey().equals("missing")) {
        out.onError(ErrorsTest.withInfo(Status.Code.NOT_FOUND, "not found", "NOT_FOUND",
            Map.of("entity", req.getEntity()), null));
        return;
      }
      if (req.getKey().equals("slow")) {
        try {
          Thread.sleep(2000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      out.onNext(GetResponse.newBuilder()
          .setDocument(doc(req.getKey(), "{\"id\":\"" + req.getKey() + "\",\"big\":9007199254740993}", 7)).build());
      out.onCompleted();
    }

    @Override
    public void put(PutRequest req, StreamObserver<PutResponse> out) {
      requests.add(req);
      if (fail(out)) {
        return;
      }
      out.onNext(PutResponse.newBuilder().setDocument(doc(req.getKey(), req.getJson().toStringUtf8(), 1)).build());
      out.onCompleted();
    }

    @Override
    public void update(UpdateRequest req, StreamObserver<UpdateResponse> out) {
      requests.add(req);
      if (fail(out)) {
        return;
      }
      out.onNext(UpdateResponse.newBuilder().setDocument(doc(req.getKey(), "{}", 2)).build());
      out.onCompleted();
    }

    @Override
    public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
      requests.add(req);
      if (fail(out)) {
        return;
      }
      out.onNext(DeleteResponse.newBuilder().setVersion(5).build());
      out.onCompleted();
    }

    @Override
    public void query(QueryRequest req, StreamObserver<QueryResponse> out) {
      requests.add(req);
      if (fail(out)) {
        return;
      }
      QueryResponse.Builder r = QueryResponse.newBuilder();
      if (req.getPageToken().isEmpty()) {
        r.addDocuments(doc("a", "{}", 1)).setNextPageToken("p2");
      } else {
        r.addDocuments(doc("b", "{}", 1));
      }
      out.onNext(r.build());
      out.onCompleted();
    }
  }

  /** Records the caller token and sends the rules version in trailers, as the proxy does. */
  private final class Rules implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      lastAuth.set(headers.get(AUTH));
      return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
        @Override
        public void close(Status status, Metadata trailers) {
          trailers.put(Errors.RULES_KEY, "rules-42");
          super.close(status, trailers);
        }
      }, headers);
    }
  }

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(new Fake(), new Rules())).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private DataAccessClient client() {
    return DataAccessClient.builder().channel(channel).callerToken("s3cret")
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
  }

  @Test
  void getReturnsVersionDocumentAndRulesVersion() {
    Document<Map<String, Object>> d = client().get("item", "k1");
    assertEquals("k1", d.key());
    assertEquals(7, d.version());
    assertEquals(9007199254740993L, d.value().get("big"));
    assertEquals("rules-42", d.rulesVersion());
    assertEquals("Bearer s3cret", lastAuth.get());
  }

  /** A user class for the typed variant. */
  public record Item(String id, long big) {}

  @Test
  void typedEntityMapsToUserClass() {
    Document<Item> d = client().entity("item", Item.class).get("k1");
    assertEquals(new Item("k1", 9007199254740993L), d.value());
  }

  @Test
  void errorsAreTypedAndCarryRulesVersion() {
    NotFoundException e = assertThrows(NotFoundException.class, () -> client().get("item", "missing"));
    assertEquals("NOT_FOUND", e.reason());
    assertEquals("item", e.metadata().get("entity"));
    assertEquals("rules-42", e.rulesVersion());
  }

  @Test
  void readsAreRetriedOnUnavailable() {
    failNext.set(2);
    assertEquals(7, client().get("item", "k1").version());
    assertEquals(3, calls.get());
  }

  @Test
  void retriesStopAfterMaxAttempts() {
    failNext.set(5);
    UnavailableException e = assertThrows(UnavailableException.class, () -> client().get("item", "k1"));
    assertEquals("store down", e.description());
    assertEquals(3, calls.get());
  }

  @Test
  void onlyUnavailableIsRetried() {
    // A read is retryable, but NOT_FOUND is an answer, not an outage: one attempt only.
    assertThrows(NotFoundException.class, () -> client().get("item", "missing"));
    assertEquals(1, calls.get());
  }

  @Test
  void everyCallCarriesTheDefaultDeadline() {
    DataAccessClient c = DataAccessClient.builder().channel(channel).build();
    assertEquals(Duration.ofSeconds(5), c.deadline());
    c.get("item", "k1");
    long left = lastDeadline.get().timeRemaining(TimeUnit.MILLISECONDS);
    assertTrue(left > 4000 && left <= 5000, "default deadline: " + left + " ms left");
    c.withDeadline(Duration.ofMillis(300)).get("item", "k1");
    left = lastDeadline.get().timeRemaining(TimeUnit.MILLISECONDS);
    assertTrue(left > 0 && left <= 300, "withDeadline(300 ms): " + left + " ms left");
  }

  @Test
  void unconditionalWritesAreNotRetried() {
    failNext.set(1);
    assertThrows(UnavailableException.class, () -> client().put("item", "k1", Map.of("n", 1)));
    assertEquals(1, calls.get());
    failNext.set(1);
    assertThrows(UnavailableException.class, () -> client().update("item", "k1",
        Update.builder().increment("n", 1).expectedVersion(3).build()));
    assertEquals(2, calls.get());
    failNext.set(1);
    assertThrows(UnavailableException.class, () -> client().delete("item", "k1"));
    assertEquals(3, calls.get());
  }

  @Test
  void versionCheckedPutAndDeleteAreRetried() {
    failNext.set(1);
    assertEquals(1, client().put("item", "k1", Map.of("n", 1), WriteOptions.expectedVersion(4)).version());
    assertEquals(2, calls.get());
    failNext.set(1);
    assertEquals(5, client().delete("item", "k1", DeleteOptions.expectedVersion(4)).version());
    assertEquals(4, calls.get());
  }

  @Test
  void putSendsPreconditionAndExactJson() {
    client().put("item", "k1", Map.of("big", 9007199254740993L), WriteOptions.mustNotExist());
    PutRequest req = (PutRequest) requests.poll();
    assertTrue(req.getPrecondition().getMustNotExist());
    assertEquals(0, req.getPrecondition().getExpectedVersion());
    assertEquals("{\"big\":9007199254740993}", req.getJson().toStringUtf8());
    client().put("item", "k1", Map.of());
    assertFalse(((PutRequest) requests.poll()).hasPrecondition());
  }

  @Test
  void updateAndQueryEncodeEveryPart() {
    client().update("item", "k1", Update.builder().set("title", "new").unset("flag").increment("n", 5)
        .where(Condition.gte("n", 1)).expectedVersion(3).build());
    UpdateRequest u = (UpdateRequest) requests.poll();
    assertEquals("title", u.getSet(0).getPath());
    assertEquals("\"new\"", u.getSet(0).getJson().toStringUtf8());
    assertEquals(List.of("flag"), u.getUnsetList());
    assertEquals("5", u.getIncrement(0).getJson().toStringUtf8());
    assertEquals(dev.dataaccess.v1.Operator.OPERATOR_GTE, u.getCondition().getAll(0).getOp());
    assertEquals("1", u.getCondition().getAll(0).getJson().toStringUtf8());
    assertEquals(3, u.getPrecondition().getExpectedVersion());

    Query q = Query.builder().where(Condition.in("n", List.of(3, 5)), Condition.prefix("title", "it"))
        .orderBy(Order.desc("n")).limit(2).build();
    Page<Map<String, Object>> page = client().query("item", q);
    assertTrue(page.hasNextPage());
    QueryRequest qr = (QueryRequest) requests.poll();
    assertEquals("[3,5]", qr.getFilter().getAll(0).getJson().toStringUtf8());
    assertEquals(dev.dataaccess.v1.Operator.OPERATOR_PREFIX, qr.getFilter().getAll(1).getOp());
    assertTrue(qr.getOrder(0).getDescending());
    assertEquals(2, qr.getLimit());
    Page<Map<String, Object>> next = client().query("item", q.withPageToken(page.nextPageToken()));
    assertEquals("b", next.documents().get(0).key());
    assertFalse(next.hasNextPage());
    assertEquals("p2", ((QueryRequest) requests.poll()).getPageToken());
  }

  @Test
  void deadlineCoversTheCall() throws Exception {
    assertEquals(Duration.ofMillis(100), client().withDeadline(Duration.ofMillis(100)).deadline());
    // The shared server runs handlers on the calling thread (directExecutor); a slow one needs its own.
    String name = InProcessServerBuilder.generateName();
    Server slow = InProcessServerBuilder.forName(name).addService(new Fake()).build().start();
    ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
    try {
      DataAccessClient c = DataAccessClient.builder().channel(ch).deadline(Duration.ofMillis(100)).build();
      assertThrows(DeadlineExceededException.class, () -> c.get("item", "slow"));
    } finally {
      ch.shutdownNow();
      slow.shutdownNow();
    }
  }

  @Test
  void backoffIsJitteredAndCapped() {
    Caller c = new Caller(channel, Duration.ofSeconds(5), 3, Duration.ofMillis(50), Duration.ofMillis(300));
    for (int attempt = 1; attempt <= 10; attempt++) {
      long b = Math.min(300, 50L << (attempt - 1)) * 1_000_000L;
      long pause = c.backoffNanos(attempt);
      assertTrue(pause >= b / 2 && pause < b, "attempt " + attempt + ": " + pause);
    }
  }
}
