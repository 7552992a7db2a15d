package dev.dataaccess.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * DataAccess reads and writes the documents of configured entities.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class DataAccessServiceGrpc {

  private DataAccessServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "dataaccess.v1.DataAccessService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.dataaccess.v1.GetRequest,
      dev.dataaccess.v1.GetResponse> getGetMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Get",
      requestType = dev.dataaccess.v1.GetRequest.class,
      responseType = dev.dataaccess.v1.GetResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.dataaccess.v1.GetRequest,
      dev.dataaccess.v1.GetResponse> getGetMethod() {
    io.grpc.MethodDescriptor<dev.dataaccess.v1.GetRequest, dev.dataaccess.v1.GetResponse> getGetMethod;
    if ((getGetMethod = DataAccessServiceGrpc.getGetMethod) == null) {
      synchronized (DataAccessServiceGrpc.class) {
        if ((getGetMethod = DataAccessServiceGrpc.getGetMethod) == null) {
          DataAccessServiceGrpc.getGetMethod = getGetMethod =
              io.grpc.MethodDescriptor.<dev.dataaccess.v1.GetRequest, dev.dataaccess.v1.GetResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Get"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.v1.GetRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.v1.GetResponse.getDefaultInstance()))
              .setSchemaDescriptor(new DataAccessServiceMethodDescriptorSupplier("Get"))
              .build();
        }
      }
    }
    return getGetMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.dataaccess.v1.BatchGetRequest,
      dev.dataaccess.v1.BatchGetResponse> getBatchGetMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "BatchGet",
      requestType = dev.dataaccess.v1.BatchGetRequest.class,
      responseType = dev.dataaccess.v1.BatchGetResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.dataaccess.v1.BatchGetRequest,
      dev.dataaccess.v1.BatchGetResponse> getBatchGetMethod() {
    io.grpc.MethodDescriptor<dev.dataaccess.v1.BatchGetRequest, dev.dataaccess.v1.BatchGetResponse> getBatchGetMethod;
    if ((getBatchGetMethod = DataAccessServiceGrpc.getBatchGetMethod) == null) {
      synchronized (DataAccessServiceGrpc.class) {
        if ((getBatchGetMethod = DataAccessServiceGrpc.getBatchGetMethod) == null) {
          DataAccessServiceGrpc.getBatchGetMethod = getBatchGetMethod =
              io.grpc.MethodDescriptor.<dev.dataaccess.v1.BatchGetRequest, dev.dataaccess.v1.BatchGetResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "BatchGet"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.v1.BatchGetRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.v1.BatchGetResponse.getDefaultInstance()))
              .setSchemaDescriptor(new DataAccessServiceMethodDescriptorSupplier("BatchGet"))
              .build();
        }
      }
    }
    return getBatchGetMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.dataaccess.v1.PutRequest,
      dev.dataaccess.v1.PutResponse> getPutMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Put",
      requestType = dev.dataaccess.v1.PutRequest.class,
      responseType = dev.dataaccess.v1.PutResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.dataaccess.v1.PutRequest,
      dev.dataaccess.v1.PutResponse> getPutMethod() {
    io.grpc.MethodDescriptor<dev.dataaccess.v1.PutRequest, dev.dataaccess.v1.PutResponse> getPutMethod;
    if ((getPutMethod = DataAccessServiceGrpc.getPutMethod) == null) {
      synchronized (DataAccessServiceGrpc.class) {
        if ((getPutMethod = DataAccessServiceGrpc.getPutMethod) == null) {
          DataAccessServiceGrpc.getPutMethod = getPutMethod =
              io.grpc.MethodDescriptor.<dev.dataaccess.v1.PutRequest, dev.dataaccess.v1.PutResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Put"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.v1.PutRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.v1.PutResponse.getDefaultInstance()))
              .setSchemaDescriptor(new DataAccessServiceMethodDescriptorSupplier("Put"))
              .build();
        }
      }
    }
    return getPutMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.dataaccess.v1.UpdateRequest,
      dev.dataaccess.v1.UpdateResponse> getUpdateMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Update",
      requestType = dev.dataaccess.v1.UpdateRequest.class,
      responseType = dev.dataaccess.v1.UpdateResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.dataaccess.v1.UpdateRequest,
      dev.dataaccess.v1.UpdateResponse> getUpdateMethod() {
    io.grpc.MethodDescriptor<dev.dataaccess.v1.UpdateRequest, dev.dataaccess.v1.UpdateResponse> getUpdateMethod;
    if ((getUpdateMethod = DataAccessServiceGrpc.getUpdateMethod) == null) {
      synchronized (DataAccessServiceGrpc.class) {
        if ((getUpdateMethod = DataAccessServiceGrpc.getUpdateMethod) == null) {
          DataAccessServiceGrpc.getUpdateMethod = getUpdateMethod =
              io.grpc.MethodDescriptor.<dev.dataaccess.v1.UpdateRequest, dev.dataaccess.v1.UpdateResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Update"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.v1.UpdateRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.v1.UpdateResponse.getDefaultInstance()))
              .setSchemaDescriptor(new DataAccessServiceMethodDescriptorSupplier("Update"))
              .build();
        }
      }
    }
    return getUpdateMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.dataaccess.v1.DeleteRequest,
      dev.dataaccess.v1.DeleteResponse> getDeleteMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Delete",
      requestType = dev.dataaccess.v1.DeleteRequest.class,
      responseType = dev.dataaccess.v1.DeleteResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.dataaccess.v1.DeleteRequest,
      dev.dataaccess.v1.DeleteResponse> getDeleteMethod() {
    io.grpc.MethodDescriptor<dev.dataaccess.v1.DeleteRequest, dev.dataaccess.v1.DeleteResponse> getDeleteMethod;
    if ((getDeleteMethod = DataAccessServiceGrpc.getDeleteMethod) == null) {
      synchronized (DataAccessServiceGrpc.class) {
        if ((getDeleteMethod = DataAccessServiceGrpc.getDeleteMethod) == null) {
          DataAccessServiceGrpc.getDeleteMethod = getDeleteMethod =
              io.grpc.MethodDescriptor.<dev.dataaccess.v1.DeleteRequest, dev.dataaccess.v1.DeleteResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Delete"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.v1.DeleteRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.v1.DeleteResponse.getDefaultInstance()))
              .setSchemaDescriptor(new DataAccessServiceMethodDescriptorSupplier("Delete"))
              .build();
        }
      }
    }
    return getDeleteMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.dataaccess.v1.QueryRequest,
      dev.dataaccess.v1.QueryResponse> getQueryMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Query",
      requestType = dev.dataaccess.v1.QueryRequest.class,
      responseType = dev.dataaccess.v1.QueryResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.dataaccess.v1.QueryRequest,
      dev.dataaccess.v1.QueryResponse> getQueryMethod() {
    io.grpc.MethodDescriptor<dev.dataaccess.v1.QueryRequest, dev.dataaccess.v1.QueryResponse> getQueryMethod;
    if ((getQueryMethod = DataAccessServiceGrpc.getQueryMethod) == null) {
      synchronized (DataAccessServiceGrpc.class) {
        if ((getQueryMethod = DataAccessServiceGrpc.getQueryMethod) == null) {
          DataAccessServiceGrpc.getQueryMethod = getQueryMethod =
              io.grpc.MethodDescriptor.<dev.dataaccess.v1.QueryRequest, dev.dataaccess.v1.QueryResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Query"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.v1.QueryRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.v1.QueryResponse.getDefaultInstance()))
              .setSchemaDescriptor(new DataAccessServiceMethodDescriptorSupplier("Query"))
              .build();
        }
      }
    }
    return getQueryMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.dataaccess.v1.SearchRequest,
      dev.dataaccess.v1.SearchResponse> getSearchMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Search",
      requestType = dev.dataaccess.v1.SearchRequest.class,
      responseType = dev.dataaccess.v1.SearchResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.dataaccess.v1.SearchRequest,
      dev.dataaccess.v1.SearchResponse> getSearchMethod() {
    io.grpc.MethodDescriptor<dev.dataaccess.v1.SearchRequest, dev.dataaccess.v1.SearchResponse> getSearchMethod;
    if ((getSearchMethod = DataAccessServiceGrpc.getSearchMethod) == null) {
      synchronized (DataAccessServiceGrpc.class) {
        if ((getSearchMethod = DataAccessServiceGrpc.getSearchMethod) == null) {
          DataAccessServiceGrpc.getSearchMethod = getSearchMethod =
              io.grpc.MethodDescriptor.<dev.dataaccess.v1.SearchRequest, dev.dataaccess.v1.SearchResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Search"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.v1.SearchRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.v1.SearchResponse.getDefaultInstance()))
              .setSchemaDescriptor(new DataAccessServiceMethodDescriptorSupplier("Search"))
              .build();
        }
      }
    }
    return getSearchMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static DataAccessServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<DataAccessServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<DataAccessServiceStub>() {
        @java.lang.Override
        public DataAccessServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new DataAccessServiceStub(channel, callOptions);
        }
      };
    return DataAccessServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static DataAccessServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<DataAccessServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<DataAccessServiceBlockingV2Stub>() {
        @java.lang.Override
        public DataAccessServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new DataAccessServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return DataAccessServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static DataAccessServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<DataAccessServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<DataAccessServiceBlockingStub>() {
        @java.lang.Override
        public DataAccessServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new DataAccessServiceBlockingStub(channel, callOptions);
        }
      };
    return DataAccessServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static DataAccessServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<DataAccessServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<DataAccessServiceFutureStub>() {
        @java.lang.Override
        public DataAccessServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new DataAccessServiceFutureStub(channel, callOptions);
        }
      };
    return DataAccessServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * DataAccess reads and writes the documents of configured entities.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Get returns one document, NOT_FOUND if the key does not exist.
     * </pre>
     */
    default void get(dev.dataaccess.v1.GetRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.v1.GetResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetMethod(), responseObserver);
    }

    /**
     * <pre>
     * BatchGet returns the documents that exist among up to `max_batch` keys, in request order.
     * </pre>
     */
    default void batchGet(dev.dataaccess.v1.BatchGetRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.v1.BatchGetResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getBatchGetMethod(), responseObserver);
    }

    /**
     * <pre>
     * Put creates or replaces a whole document.
     * </pre>
     */
    default void put(dev.dataaccess.v1.PutRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.v1.PutResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getPutMethod(), responseObserver);
    }

    /**
     * <pre>
     * Update changes parts of a document atomically, optionally only if a condition holds.
     * </pre>
     */
    default void update(dev.dataaccess.v1.UpdateRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.v1.UpdateResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getUpdateMethod(), responseObserver);
    }

    /**
     * <pre>
     * Delete removes a document.
     * </pre>
     */
    default void delete(dev.dataaccess.v1.DeleteRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.v1.DeleteResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteMethod(), responseObserver);
    }

    /**
     * <pre>
     * Query returns documents that match a structured filter, ordered and paged.
     * </pre>
     */
    default void query(dev.dataaccess.v1.QueryRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.v1.QueryResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getQueryMethod(), responseObserver);
    }

    /**
     * <pre>
     * Search runs a full-text query over the entity's text fields.
     * </pre>
     */
    default void search(dev.dataaccess.v1.SearchRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.v1.SearchResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSearchMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service DataAccessService.
   * <pre>
   * DataAccess reads and writes the documents of configured entities.
   * </pre>
   */
  public static abstract class DataAccessServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return DataAccessServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service DataAccessService.
   * <pre>
   * DataAccess reads and writes the documents of configured entities.
   * </pre>
   */
  public static final class DataAccessServiceStub
      extends io.grpc.stub.AbstractAsyncStub<DataAccessServiceStub> {
    private DataAccessServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected DataAccessServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new DataAccessServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Get returns one document, NOT_FOUND if the key does not exist.
     * </pre>
     */
    public void get(dev.dataaccess.v1.GetRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.v1.GetResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * BatchGet returns the documents that exist among up to `max_batch` keys, in request order.
     * </pre>
     */
    public void batchGet(dev.dataaccess.v1.BatchGetRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.v1.BatchGetResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getBatchGetMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Put creates or replaces a whole document.
     * </pre>
     */
    public void put(dev.dataaccess.v1.PutRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.v1.PutResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getPutMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Update changes parts of a document atomically, optionally only if a condition holds.
     * </pre>
     */
    public void update(dev.dataaccess.v1.UpdateRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.v1.UpdateResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getUpdateMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Delete removes a document.
     * </pre>
     */
    public void delete(dev.dataaccess.v1.DeleteRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.v1.DeleteResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeleteMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Query returns documents that match a structured filter, ordered and paged.
     * </pre>
     */
    public void query(dev.dataaccess.v1.QueryRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.v1.QueryResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getQueryMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Search runs a full-text query over the entity's text fields.
     * </pre>
     */
    public void search(dev.dataaccess.v1.SearchRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.v1.SearchResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSearchMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service DataAccessService.
   * <pre>
   * DataAccess reads and writes the documents of configured entities.
   * </pre>
   */
  public static final class DataAccessServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<DataAccessServiceBlockingV2Stub> {
    private DataAccessServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected DataAccessServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new DataAccessServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Get returns one document, NOT_FOUND if the key does not exist.
     * </pre>
     */
    public dev.dataaccess.v1.GetResponse get(dev.dataaccess.v1.GetRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * BatchGet returns the documents that exist among up to `max_batch` keys, in request order.
     * </pre>
     */
    public dev.dataaccess.v1.BatchGetResponse batchGet(dev.dataaccess.v1.BatchGetRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getBatchGetMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Put creates or replaces a whole document.
     * </pre>
     */
    public dev.dataaccess.v1.PutResponse put(dev.dataaccess.v1.PutRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getPutMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Update changes parts of a document atomically, optionally only if a condition holds.
     * </pre>
     */
    public dev.dataaccess.v1.UpdateResponse update(dev.dataaccess.v1.UpdateRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getUpdateMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Delete removes a document.
     * </pre>
     */
    public dev.dataaccess.v1.DeleteResponse delete(dev.dataaccess.v1.DeleteRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeleteMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Query returns documents that match a structured filter, ordered and paged.
     * </pre>
     */
    public dev.dataaccess.v1.QueryResponse query(dev.dataaccess.v1.QueryRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getQueryMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Search runs a full-text query over the entity's text fields.
     * </pre>
     */
    public dev.dataaccess.v1.SearchResponse search(dev.dataaccess.v1.SearchRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSearchMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service DataAccessService.
   * <pre>
   * DataAccess reads and writes the documents of configured entities.
   * </pre>
   */
  public static final class DataAccessServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<DataAccessServiceBlockingStub> {
    private DataAccessServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected DataAccessServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new DataAccessServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Get returns one document, NOT_FOUND if the key does not exist.
     * </pre>
     */
    public dev.dataaccess.v1.GetResponse get(dev.dataaccess.v1.GetRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * BatchGet returns the documents that exist among up to `max_batch` keys, in request order.
     * </pre>
     */
    public dev.dataaccess.v1.BatchGetResponse batchGet(dev.dataaccess.v1.BatchGetRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getBatchGetMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Put creates or replaces a whole document.
     * </pre>
     */
    public dev.dataaccess.v1.PutResponse put(dev.dataaccess.v1.PutRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getPutMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Update changes parts of a document atomically, optionally only if a condition holds.
     * </pre>
     */
    public dev.dataaccess.v1.UpdateResponse update(dev.dataaccess.v1.UpdateRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getUpdateMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Delete removes a document.
     * </pre>
     */
    public dev.dataaccess.v1.DeleteResponse delete(dev.dataaccess.v1.DeleteRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeleteMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Query returns documents that match a structured filter, ordered and paged.
     * </pre>
     */
    public dev.dataaccess.v1.QueryResponse query(dev.dataaccess.v1.QueryRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getQueryMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Search runs a full-text query over the entity's text fields.
     * </pre>
     */
    public dev.dataaccess.v1.SearchResponse search(dev.dataaccess.v1.SearchRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSearchMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service DataAccessService.
   * <pre>
   * DataAccess reads and writes the documents of configured entities.
   * </pre>
   */
  public static final class DataAccessServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<DataAccessServiceFutureStub> {
    private DataAccessServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected DataAccessServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new DataAccessServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Get returns one document, NOT_FOUND if the key does not exist.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.dataaccess.v1.GetResponse> get(
        dev.dataaccess.v1.GetRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * BatchGet returns the documents that exist among up to `max_batch` keys, in request order.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.dataaccess.v1.BatchGetResponse> batchGet(
        dev.dataaccess.v1.BatchGetRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getBatchGetMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Put creates or replaces a whole document.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.dataaccess.v1.PutResponse> put(
        dev.dataaccess.v1.PutRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getPutMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Update changes parts of a document atomically, optionally only if a condition holds.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.dataaccess.v1.UpdateResponse> update(
        dev.dataaccess.v1.UpdateRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getUpdateMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Delete removes a document.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.dataaccess.v1.DeleteResponse> delete(
        dev.dataaccess.v1.DeleteRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeleteMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Query returns documents that match a structured filter, ordered and paged.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.dataaccess.v1.QueryResponse> query(
        dev.dataaccess.v1.QueryRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getQueryMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Search runs a full-text query over the entity's text fields.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.dataaccess.v1.SearchResponse> search(
        dev.dataaccess.v1.SearchRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSearchMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_GET = 0;
  private static final int METHODID_BATCH_GET = 1;
  private static final int METHODID_PUT = 2;
  private static final int METHODID_UPDATE = 3;
  private static final int METHODID_DELETE = 4;
  private static final int METHODID_QUERY = 5;
  private static final int METHODID_SEARCH = 6;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_GET:
          serviceImpl.get((dev.dataaccess.v1.GetRequest) request,
              (io.grpc.stub.StreamObserver<dev.dataaccess.v1.GetResponse>) responseObserver);
          break;
        case METHODID_BATCH_GET:
          serviceImpl.batchGet((dev.dataaccess.v1.BatchGetRequest) request,
              (io.grpc.stub.StreamObserver<dev.dataaccess.v1.BatchGetResponse>) responseObserver);
          break;
        case METHODID_PUT:
          serviceImpl.put((dev.dataaccess.v1.PutRequest) request,
              (io.grpc.stub.StreamObserver<dev.dataaccess.v1.PutResponse>) responseObserver);
          break;
        case METHODID_UPDATE:
          serviceImpl.update((dev.dataaccess.v1.UpdateRequest) request,
              (io.grpc.stub.StreamObserver<dev.dataaccess.v1.UpdateResponse>) responseObserver);
          break;
        case METHODID_DELETE:
          serviceImpl.delete((dev.dataaccess.v1.DeleteRequest) request,
              (io.grpc.stub.StreamObserver<dev.dataaccess.v1.DeleteResponse>) responseObserver);
          break;
        case METHODID_QUERY:
          serviceImpl.query((dev.dataaccess.v1.QueryRequest) request,
              (io.grpc.stub.StreamObserver<dev.dataaccess.v1.QueryResponse>) responseObserver);
          break;
        case METHODID_SEARCH:
          serviceImpl.search((dev.dataaccess.v1.SearchRequest) request,
              (io.grpc.stub.StreamObserver<dev.dataaccess.v1.SearchResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getGetMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.dataaccess.v1.GetRequest,
              dev.dataaccess.v1.GetResponse>(
                service, METHODID_GET)))
        .addMethod(
          getBatchGetMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.dataaccess.v1.BatchGetRequest,
              dev.dataaccess.v1.BatchGetResponse>(
                service, METHODID_BATCH_GET)))
        .addMethod(
          getPutMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.dataaccess.v1.PutRequest,
              dev.dataaccess.v1.PutResponse>(
                service, METHODID_PUT)))
        .addMethod(
          getUpdateMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.dataaccess.v1.UpdateRequest,
              dev.dataaccess.v1.UpdateResponse>(
                service, METHODID_UPDATE)))
        .addMethod(
          getDeleteMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.dataaccess.v1.DeleteRequest,
              dev.dataaccess.v1.DeleteResponse>(
                service, METHODID_DELETE)))
        .addMethod(
          getQueryMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.dataaccess.v1.QueryRequest,
              dev.dataaccess.v1.QueryResponse>(
                service, METHODID_QUERY)))
        .addMethod(
          getSearchMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.dataaccess.v1.SearchRequest,
              dev.dataaccess.v1.SearchResponse>(
                service, METHODID_SEARCH)))
        .build();
  }

  private static abstract class DataAccessServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    DataAccessServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.dataaccess.v1.DataAccessProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("DataAccessService");
    }
  }

  private static final class DataAccessServiceFileDescriptorSupplier
      extends DataAccessServiceBaseDescriptorSupplier {
    DataAccessServiceFileDescriptorSupplier() {}
  }

  private static final class DataAccessServiceMethodDescriptorSupplier
      extends DataAccessServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    DataAccessServiceMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (DataAccessServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new DataAccessServiceFileDescriptorSupplier())
              .addMethod(getGetMethod())
              .addMethod(getBatchGetMethod())
              .addMethod(getPutMethod())
              .addMethod(getUpdateMethod())
              .addMethod(getDeleteMethod())
              .addMethod(getQueryMethod())
              .addMethod(getSearchMethod())
              .build();
        }
      }
    }
    return result;
  }
}
