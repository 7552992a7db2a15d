package dev.dataaccess.client;

import com.fasterxml.jackson.databind.JavaType;
import dev.dataaccess.v1.BatchGetRequest;
import dev.dataaccess.v1.BatchGetResponse;
import dev.dataaccess.v1.DataAccessServiceGrpc;
import dev.dataaccess.v1.DeleteRequest;
import dev.dataaccess.v1.DeleteResponse;
import dev.dataaccess.v1.FieldValue;
import dev.dataaccess.v1.Filter;
import dev.dataaccess.v1.GetRequest;
import dev.dataaccess.v1.GetResponse;
import dev.dataaccess.v1.Increment;
import dev.dataaccess.v1.Precondition;
import dev.dataaccess.v1.PutRequest;
import dev.dataaccess.v1.PutResponse;
import dev.dataaccess.v1.QueryRequest;
import dev.dataaccess.v1.QueryResponse;
import dev.dataaccess.v1.SearchRequest;
import dev.dataaccess.v1.SearchResponse;
import dev.dataaccess.v1.UpdateRequest;
import dev.dataaccess.v1.UpdateResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The documents of one entity, as Java type {@code T}. Get one with
 * {@link DataAccessClient#entity(String, Class)} (typed) or {@link DataAccessClient#entity(String)}
 * ({@code Map<String, Object>}). Cheap to create; thread-safe; shares the client's connection.
 *
 * <p>Every method throws a {@link DataAccessException} subclass on failure, e.g.
 * {@link NotFoundException} or {@link ConflictException}.
 *
 * @param <T> the Java type documents are read into and written from
 */
public final class Entity<T> {
  private final String name;
  private final JavaType type;
  private final Caller caller;
  private final Json json;

  Entity(String name, JavaType type, Caller caller, Json json) {
    this.name = Objects.requireNonNull(name, "entity name");
    this.type = type;
    this.caller = caller;
    this.json = json;
  }

  /** @return the entity name as configured in the routing rules */
  public String name() {
    return name;
  }

  /**
   * Reads one document. Retried on {@code UNAVAILABLE}.
   *
   * @param key the document's key
   * @return the document with its version
   * @throws NotFoundException if the key does not exist
   */
  public Document<T> get(String key) {
    GetRequest request = GetRequest.newBuilder().setEntity(name).setKey(key).build();
    Caller.Reply<GetResponse> reply = caller.unary(DataAccessServiceGrpc.getGetMethod(), request, true);
    return document(reply.response().getDocument(), reply.rulesVersion());
  }

  /**
   * Reads the documents that exist among {@code keys}. Retried on {@code UNAVAILABLE}.
   *
   * @param keys keys to read (duplicates are read once); at most the proxy's {@code max_batch}
   * @return found documents in request order, and the keys that do not exist
   */
  public BatchGetResult<T> batchGet(Collection<String> keys) {
    BatchGetRequest request = BatchGetRequest.newBuilder().setEntity(name).addAllKeys(keys).build();
    Caller.Reply<BatchGetResponse> reply =
        caller.unary(DataAccessServiceGrpc.getBatchGetMethod(), request, true);
    return new BatchGetResult<>(documents(reply.response().getDocumentsList(), reply.rulesVersion()),
        reply.response().getMissingKeysList(), reply.rulesVersion());
  }

  /**
   * Creates or replaces a whole document, unconditionally. Not retried.
   *
   * @param key the document's key (if the content carries the key field, it must be equal)
   * @param value the new content; must serialize to a JSON object
   * @return the document as stored, with its new version
   */
  public Document<T> put(String key, T value) {
    return putObject(key, value, WriteOptions.none());
  }

  /**
   * Creates or replaces a whole document if {@code options} hold. Retried on {@code UNAVAILABLE}
   * only with an expected version.
   *
   * @param key the document's key
   * @param value the new content; must serialize to a JSON object
   * @param options e.g. {@link WriteOptions#mustNotExist()} or {@link WriteOptions#expectedVersion(long)}
   * @return the document as stored, with its new version
   * @throws AlreadyExistsException if {@code mustNotExist} and the document exists
   * @throws ConflictException if the expected version does not match
   * @throws InvalidArgumentException if the content does not fit the entity's schema
   */
  public Document<T> put(String key, T value, WriteOptions options) {
    return putObject(key, value, options);
  }

  Document<T> putObject(String key, Object value, WriteOptions options) {
    PutRequest request = PutRequest.newBuilder().setEntity(name).setKey(key)
        .setJson(json.encodeDocument(value)).build();
    if (!options.isEmpty()) {
      request = request.toBuilder().setPrecondition(precondition(options)).build();
    }
    Caller.Reply<PutResponse> reply =
        caller.unary(DataAccessServiceGrpc.getPutMethod(), request, options.getExpectedVersion() > 0);
    return document(reply.response().getDocument(), reply.rulesVersion());
  }

  /**
   * Changes parts of one document atomically. Not retried.
   *
   * @param key the document's key
   * @param update what to set, unset and increment, under which conditions
   * @return the document after the update, with its new version
   * @throws NotFoundException if the document does not exist
   * @throws PreconditionFailedException if a condition does not hold (nothing was written)
   * @throws ConflictException if the expected version does not match
   */
  public Document<T> update(String key, Update update) {
    UpdateRequest.Builder b = UpdateRequest.newBuilder().setEntity(name).setKey(key);
    update.set().forEach((path, value) ->
        b.addSet(FieldValue.newBuilder().setPath(path).setJson(json.encodeValue(value))));
    b.addAllUnset(update.unset());
    update.increment().forEach((path, amount) ->
        b.addIncrement(Increment.newBuilder().setPath(path).setJson(json.encodeValue(amount))));
    if (!update.condition().isEmpty()) {
      b.setCondition(filter(update.condition()));
    }
    if (!update.options().isEmpty()) {
      b.setPrecondition(precondition(update.options()));
    }
    Caller.Reply<UpdateResponse> reply = caller.unary(DataAccessServiceGrpc.getUpdateMethod(), b.build(), false);
    return document(reply.response().getDocument(), reply.rulesVersion());
  }

  /**
   * Deletes a document unconditionally. Not retried.
   *
   * @param key the document's key
   * @return the deletion's (tombstone's) version
   * @throws NotFoundException if the document does not exist
   */
  public DeleteResult delete(String key) {
    return delete(key, DeleteOptions.none());
  }

  /**
   * Deletes a document. Retried on {@code UNAVAILABLE} only with an expected version.
   *
   * @param key the document's key
   * @param options expected version and whether a missing document is an error
   * @return the deletion's (tombstone's) version; 0 if nothing existed and that was allowed
   * @throws NotFoundException if the document does not exist and {@code allowMissing} is not set
   * @throws ConflictException if the expected version does not match
   */
  public DeleteResult delete(String key, DeleteOptions options) {
    DeleteRequest request = DeleteRequest.newBuilder().setEntity(name).setKey(key)
        .setExpectedVersion(options.getExpectedVersion()).setAllowMissing(options.isAllowMissing()).build();
    Caller.Reply<DeleteResponse> reply =
        caller.unary(DataAccessServiceGrpc.getDeleteMethod(), request, options.getExpectedVersion() > 0);
    return new DeleteResult(reply.response().getVersion(), reply.rulesVersion());
  }

  /**
   * Returns one page of documents matching a structured filter. Retried on {@code UNAVAILABLE}.
   *
   * @param query filter, order, page size and page token
   * @return one page; follow {@link Page#nextPageToken()} with {@link Query#withPageToken(String)}
   */
  public Page<T> query(Query query) {
    QueryRequest.Builder b = QueryRequest.newBuilder().setEntity(name)
        .setLimit(query.limit()).setPageToken(query.pageToken());
    if (!query.filter().isEmpty()) {
      b.setFilter(filter(query.filter()));
    }
    for (Order o : query.order()) {
      b.addOrder(dev.dataaccess.v1.Order.newBuilder().setPath(o.path()).setDescending(o.descending()));
    }
    Caller.Reply<QueryResponse> reply = caller.unary(DataAccessServiceGrpc.getQueryMethod(), b.build(), true);
    return new Page<>(documents(reply.response().getDocumentsList(), reply.rulesVersion()),
        reply.response().getNextPageToken(), reply.rulesVersion());
  }

  /**
   * Returns one page of full-text matches, best first. Retried on {@code UNAVAILABLE}.
   *
   * @param search text, optional filter, page size and page token
   * @return one page; follow {@link Page#nextPageToken()} with {@link Search#withPageToken(String)}
   * @throws UnimplementedException if the entity's store cannot search
   */
  public Page<T> search(Search search) {
    SearchRequest.Builder b = SearchRequest.newBuilder().setEntity(name).setText(search.text())
        .setLimit(search.limit()).setPageToken(search.pageToken());
    if (!search.filter().isEmpty()) {
      b.setFilter(filter(search.filter()));
    }
    Caller.Reply<SearchResponse> reply = caller.unary(DataAccessServiceGrpc.getSearchMethod(), b.build(), true);
    return new Page<>(documents(reply.response().getDocumentsList(), reply.rulesVersion()),
        reply.response().getNextPageToken(), reply.rulesVersion());
  }

  private Filter filter(List<Condition> conditions) {
    Filter.Builder f = Filter.newBuilder();
    for (Condition c : conditions) {
      f.addAll(dev.dataaccess.v1.Condition.newBuilder().setPath(c.path()).setOp(c.op().toProto())
          .setJson(json.encodeValue(c.value())));
    }
    return f.build();
  }

  private static Precondition precondition(WriteOptions options) {
    return Precondition.newBuilder().setExpectedVersion(options.getExpectedVersion())
        .setMustNotExist(options.isMustNotExist()).setMustExist(options.isMustExist()).build();
  }

  private Document<T> document(dev.dataaccess.v1.Document pb, String rulesVersion) {
    T value = json.decode(pb.getJson(), type);
    return new Document<>(pb.getKey(), pb.getVersion(), value, rulesVersion);
  }

  private List<Document<T>> documents(List<dev.dataaccess.v1.Document> pbs, String rulesVersion) {
    List<Document<T>> out = new ArrayList<>(pbs.size());
    for (dev.dataaccess.v1.Document pb : pbs) {
      out.add(document(pb, rulesVersion));
    }
    return out;
  }
}
