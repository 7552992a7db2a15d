package dev.dataaccess.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Client of the DataAccess proxy: reads and writes the documents of configured entities, whatever
 * store holds them.
 *
 * <pre>{@code
 * try (DataAccessClient client = DataAccessClient.builder().address("127.0.0.1:50051").build()) {
 *   Document<Map<String, Object>> created =
 *       client.put("product", "p1", Map.of("name", "Phone", "price", "199.00"), WriteOptions.mustNotExist());
 *   Entity<Product> products = client.entity("product", Product.class);
 *   Document<Product> p = products.get("p1");
 *   products.put("p1", p.value().withPrice("189.00"), WriteOptions.expectedVersion(p.version()));
 * }
 * }</pre>
 *
 * <p>Untyped methods on this class take and return documents as {@code Map<String, Object>}; for a
 * user class use {@link #entity(String, Class)}. Numbers are decoded losslessly (integers as
 * {@code Long} or {@code BigInteger}, fractions as {@code BigDecimal}); decimal fields travel as
 * JSON strings ({@code "19.99"}) and timestamps as RFC 3339 strings.
 *
 * <p>Every call has a deadline (default 5 s, covering retries). {@code UNAVAILABLE} is retried with
 * jittered exponential backoff for idempotent calls only: get, batchGet, query, search, and put /
 * delete with an expected version. Failures are thrown as {@link DataAccessException} subclasses,
 * one per gRPC code. Results and exceptions carry the routing-rules version that served the call.
 *
 * <p>Thread-safe; create one per process and {@link #close()} it at shutdown.
 */
public final class DataAccessClient implements AutoCloseable {
  private final ManagedChannel ownedChannel;
  private final Caller caller;
  private final Json json;

  private DataAccessClient(ManagedChannel ownedChannel, Caller caller, Json json) {
    this.ownedChannel = ownedChannel;
    this.caller = caller;
    this.json = json;
  }

  /** @return a builder; at least {@link Builder#address(String)} or {@link Builder#channel(Channel)} is required */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The Jackson mapper the client uses by default, for callers who want to add modules or settings
   * and pass it back with {@link Builder#objectMapper(ObjectMapper)}: Java time support, dates as
   * ISO strings, unknown properties ignored, integers as {@code Long}, fractions as {@code BigDecimal}.
   *
   * @return a new mapper with the default configuration
   */
  public static ObjectMapper defaultObjectMapper() {
    return Json.defaultMapper();
  }

  /**
   * @param deadline the deadline for each call made through the returned client
   * @return a client sharing this one's connection with another per-call deadline; closing it does
   *     not close the connection
   */
  public DataAccessClient withDeadline(Duration deadline) {
    requirePositive(deadline, "deadline");
    return new DataAccessClient(null, caller.withDeadline(deadline), json);
  }

  /** @return the per-call deadline */
  public Duration deadline() {
    return caller.deadline();
  }

  /**
   * @param name entity name as configured in the routing rules
   * @return the entity's documents as {@code Map<String, Object>}
   */
  public Entity<Map<String, Object>> entity(String name) {
    return new Entity<>(name, json.mapType(), caller, json);
  }

  /**
   * @param name entity name as configured in the routing rules
   * @param type the class documents map to (with Jackson; unknown JSON properties are ignored)
   * @param <T> the document type
   * @return the entity's documents as {@code T}
   */
  public <T> Entity<T> entity(String name, Class<T> type) {
    return new Entity<>(name, json.type(type), caller, json);
  }

  /**
   * @param name entity name as configured in the routing rules
   * @param type the generic type documents map to
   * @param <T> the document type
   * @return the entity's documents as {@code T}
   */
  public <T> Entity<T> entity(String name, TypeReference<T> type) {
    return new Entity<>(name, json.type(type), caller, json);
  }

  /**
   * Reads one document; see {@link Entity#get(String)}.
   *
   * @param entity entity name
   * @param key the document's key
   * @return the document with its version
   * @throws NotFoundException if the key does not exist
   */
  public Document<Map<String, Object>> get(String entity, String key) {
    return entity(entity).get(key);
  }

  /**
   * Reads several documents; see {@link Entity#batchGet(Collection)}.
   *
   * @param entity entity name
   * @param keys keys to read
   * @return found documents in request order, and the missing keys
   */
  public BatchGetResult<Map<String, Object>> batchGet(String entity, Collection<String> keys) {
    return entity(entity).batchGet(keys);
  }

  /**
   * Creates or replaces a document unconditionally; see {@link Entity#put(String, Object)}.
   *
   * @param entity entity name
   * @param key the document's key
   * @param document the whole new document
   * @return the document as stored, with its new version
   */
  public Document<Map<String, Object>> put(String entity, String key, Map<String, ?> document) {
    return put(entity, key, document, WriteOptions.none());
  }

  /**
   * Creates or replaces a document if {@code options} hold; see
   * {@link Entity#put(String, Object, WriteOptions)}.
   *
   * @param entity entity name
   * @param key the document's key
   * @param document the whole new document
   * @param options e.g. {@link WriteOptions#mustNotExist()} or {@link WriteOptions#expectedVersion(long)}
   * @return the document as stored, with its new version
   * @throws AlreadyExistsException if {@code mustNotExist} and the document exists
   * @throws ConflictException if the expected version does not match
   */
  public Document<Map<String, Object>> put(String entity, String key, Map<String, ?> document,
      WriteOptions options) {
    return entity(entity).putObject(key, document, options);
  }

  /**
   * Changes parts of a document atomically; see {@link Entity#update(String, Update)}.
   *
   * @param entity entity name
   * @param key the document's key
   * @param update what to set, unset and increment, under which conditions
   * @return the document after the update
   * @throws PreconditionFailedException if a condition does not hold
   */
  public Document<Map<String, Object>> update(String entity, String key, Update update) {
    return entity(entity).update(key, update);
  }

  /**
   * Deletes a document unconditionally; see {@link Entity#delete(String)}.
   *
   * @param entity entity name
   * @param key the document's key
   * @return the deletion's version
   * @throws NotFoundException if the document does not exist
   */
  public DeleteResult delete(String entity, String key) {
    return entity(entity).delete(key);
  }

  /**
   * Deletes a document; see {@link Entity#delete(String, DeleteOptions)}.
   *
   * @param entity entity name
   * @param key the document's key
   * @param options expected version, allow missing
   * @return the deletion's version
   * @throws ConflictException if the expected version does not match
   */
  public DeleteResult delete(String entity, String key, DeleteOptions options) {
    return entity(entity).delete(key, options);
  }

  /**
   * Returns one page of a structured query; see {@link Entity#query(Query)}.
   *
   * @param entity entity name
   * @param query filter, order, page size and token
   * @return one page of results
   */
  public Page<Map<String, Object>> query(String entity, Query query) {
    return entity(entity).query(query);
  }

  /**
   * Returns one page of a full-text search; see {@link Entity#search(Search)}.
   *
   * @param entity entity name
   * @param search text, filter, page size and token
   * @return one page of matches, best first
   */
  public Page<Map<String, Object>> search(String entity, Search search) {
    return entity(entity).search(search);
  }

  /**
   * Closes the connection the builder opened (waiting briefly for calls in flight). Does nothing for
   * a client built on a caller's {@link Builder#channel(Channel)} or made by {@link #withDeadline}.
   */
  @Override
  public void close() {
    if (ownedChannel == null) {
      return;
    }
    ownedChannel.shutdown();
    try {
      if (!ownedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
        ownedChannel.shutdownNow();
      }
    } catch (InterruptedException e) {
      ownedChannel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static void requirePositive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }

  /** Configures and builds a {@link DataAccessClient}. */
  public static final class Builder {
    private String address;
    private Channel channel;
    private Duration deadline = Duration.ofSeconds(5);
    private boolean tls;
    private Path trustCertificates;
    private Path clientCertificate;
    private Path clientKey;
    private String authority;
    private String callerToken;
    private ObjectMapper mapper;
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(50);
    private Duration maxBackoff = Duration.ofSeconds(1);

    private Builder() {}

    /**
     * @param address the proxy's {@code host:port} (plaintext unless {@link #tls()} is set), or any
     *     gRPC target such as {@code dns:///sidecar:50051}
     * @return this builder
     */
    public Builder address(String address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * Uses an existing channel instead of opening one (the client then never shuts it down);
     * TLS settings are ignored, the caller token still applies.
     *
     * @param channel a channel to the proxy
     * @return this builder
     */
    public Builder channel(Channel channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /**
     * @param deadline how long each call may take, retries included (default 5 s)
     * @return this builder
     */
    public Builder deadline(Duration deadline) {
      requirePositive(deadline, "deadline");
      this.deadline = deadline;
      return this;
    }

    /**
     * Connects with TLS, trusting the JVM's default certificate authorities.
     *
     * @return this builder
     */
    public Builder tls() {
      this.tls = true;
      return this;
    }

    /**
     * Connects with TLS, trusting the certificate authorities in a PEM file.
     *
     * @param caCertificates PEM file of trusted CA certificates
     * @return this builder
     */
    public Builder tls(Path caCertificates) {
      this.tls = true;
      this.trustCertificates = Objects.requireNonNull(caCertificates);
      return this;
    }

    /**
     * Presents a client certificate (mutual TLS, which the proxy can use as the caller identity);
     * implies {@link #tls()}.
     *
     * @param certificateChain PEM certificate chain
     * @param privateKey PEM private key (PKCS#8)
     * @return this builder
     */
    public Builder clientCertificate(Path certificateChain, Path privateKey) {
      this.tls = true;
      this.clientCertificate = Objects.requireNonNull(certificateChain);
      this.clientKey = Objects.requireNonNull(privateKey);
      return this;
    }

    /**
     * @param authority the name to verify the server certificate against, when it differs from the
     *     address's host (e.g. connecting to 127.0.0.1 with a certificate for {@code dataaccess.local})
     * @return this builder
     */
    public Builder authority(String authority) {
      this.authority = Objects.requireNonNull(authority);
      return this;
    }

    /**
     * Sends {@code authorization: Bearer TOKEN} on every call, for a proxy configured with a header
     * token; the entity's {@code callers} list decides what the caller may do.
     *
     * @param token the caller token
     * @return this builder
     */
    public Builder callerToken(String token) {
      this.callerToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * Maps typed documents with this Jackson mapper (e.g. one with your modules). The client copies
     * it and forces lossless number decoding. Default: {@link DataAccessClient#defaultObjectMapper()}.
     *
     * @param mapper the mapper
     * @return this builder
     */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper);
      return this;
    }

    /**
     * @param maxAttempts attempts per idempotent call when the proxy is {@code UNAVAILABLE}
     *     (default 3; 1 disables retries)
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * @param initial backoff before the first retry (default 50 ms); doubles each retry, jittered
     * @param max upper bound of the backoff (default 1 s)
     * @return this builder
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      requirePositive(initial, "initial backoff");
      requirePositive(max, "max backoff");
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * @return the client
     * @throws IllegalStateException if neither an address nor a channel was given
     * @throws UncheckedIOException if a certificate or key file cannot be read
     */
    public DataAccessClient build() {
      ManagedChannel owned = null;
      Channel base = channel;
      if (base == null) {
        if (address == null) {
          throw new IllegalStateException("address (or channel) is required");
        }
        ManagedChannelBuilder<?> b = Grpc.newChannelBuilder(address, credentials());
        if (authority != null) {
          b.overrideAuthority(authority);
        }
        owned = b.userAgent("dataaccess-java").build();
        base = owned;
      }
      if (callerToken != null) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + callerToken);
        base = ClientInterceptors.intercept(base, MetadataUtils.newAttachHeadersInterceptor(md));
      }
      Json json = new Json(mapper == null ? Json.defaultMapper() : mapper);
      return new DataAccessClient(owned, new Caller(base, deadline, maxAttempts, initialBackoff, maxBackoff), json);
    }

    private ChannelCredentials credentials() {
      if (!tls) {
        return InsecureChannelCredentials.create();
      }
      try {
        TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
        if (trustCertificates != null) {
          b.trustManager(trustCertificates.toFile());
        }
        if (clientCertificate != null) {
          b.keyManager(clientCertificate.toFile(), clientKey.toFile());
        }
        return b.build();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read TLS certificates", e);
      }
    }
  }
}
