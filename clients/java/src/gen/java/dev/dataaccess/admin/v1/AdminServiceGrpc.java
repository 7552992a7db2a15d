package dev.dataaccess.admin.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * AdminService reports and steers a sidecar.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class AdminServiceGrpc {

  private AdminServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "dataaccess.admin.v1.AdminService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.GetConfigRequest,
      dev.dataaccess.admin.v1.GetConfigResponse> getGetConfigMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetConfig",
      requestType = dev.dataaccess.admin.v1.GetConfigRequest.class,
      responseType = dev.dataaccess.admin.v1.GetConfigResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.GetConfigRequest,
      dev.dataaccess.admin.v1.GetConfigResponse> getGetConfigMethod() {
    io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.GetConfigRequest, dev.dataaccess.admin.v1.GetConfigResponse> getGetConfigMethod;
    if ((getGetConfigMethod = AdminServiceGrpc.getGetConfigMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getGetConfigMethod = AdminServiceGrpc.getGetConfigMethod) == null) {
          AdminServiceGrpc.getGetConfigMethod = getGetConfigMethod =
              io.grpc.MethodDescriptor.<dev.dataaccess.admin.v1.GetConfigRequest, dev.dataaccess.admin.v1.GetConfigResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetConfig"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.admin.v1.GetConfigRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.admin.v1.GetConfigResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("GetConfig"))
              .build();
        }
      }
    }
    return getGetConfigMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.ListRoutesRequest,
      dev.dataaccess.admin.v1.ListRoutesResponse> getListRoutesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListRoutes",
      requestType = dev.dataaccess.admin.v1.ListRoutesRequest.class,
      responseType = dev.dataaccess.admin.v1.ListRoutesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.ListRoutesRequest,
      dev.dataaccess.admin.v1.ListRoutesResponse> getListRoutesMethod() {
    io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.ListRoutesRequest, dev.dataaccess.admin.v1.ListRoutesResponse> getListRoutesMethod;
    if ((getListRoutesMethod = AdminServiceGrpc.getListRoutesMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getListRoutesMethod = AdminServiceGrpc.getListRoutesMethod) == null) {
          AdminServiceGrpc.getListRoutesMethod = getListRoutesMethod =
              io.grpc.MethodDescriptor.<dev.dataaccess.admin.v1.ListRoutesRequest, dev.dataaccess.admin.v1.ListRoutesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListRoutes"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.admin.v1.ListRoutesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.admin.v1.ListRoutesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ListRoutes"))
              .build();
        }
      }
    }
    return getListRoutesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.GetRouteRequest,
      dev.dataaccess.admin.v1.GetRouteResponse> getGetRouteMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetRoute",
      requestType = dev.dataaccess.admin.v1.GetRouteRequest.class,
      responseType = dev.dataaccess.admin.v1.GetRouteResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.GetRouteRequest,
      dev.dataaccess.admin.v1.GetRouteResponse> getGetRouteMethod() {
    io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.GetRouteRequest, dev.dataaccess.admin.v1.GetRouteResponse> getGetRouteMethod;
    if ((getGetRouteMethod = AdminServiceGrpc.getGetRouteMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getGetRouteMethod = AdminServiceGrpc.getGetRouteMethod) == null) {
          AdminServiceGrpc.getGetRouteMethod = getGetRouteMethod =
              io.grpc.MethodDescriptor.<dev.dataaccess.admin.v1.GetRouteRequest, dev.dataaccess.admin.v1.GetRouteResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetRoute"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.admin.v1.GetRouteRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.admin.v1.GetRouteResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("GetRoute"))
              .build();
        }
      }
    }
    return getGetRouteMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.StartJobRequest,
      dev.dataaccess.admin.v1.StartJobResponse> getStartJobMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "StartJob",
      requestType = dev.dataaccess.admin.v1.StartJobRequest.class,
      responseType = dev.dataaccess.admin.v1.StartJobResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.StartJobRequest,
      dev.dataaccess.admin.v1.StartJobResponse> getStartJobMethod() {
    io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.StartJobRequest, dev.dataaccess.admin.v1.StartJobResponse> getStartJobMethod;
    if ((getStartJobMethod = AdminServiceGrpc.getStartJobMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getStartJobMethod = AdminServiceGrpc.getStartJobMethod) == null) {
          AdminServiceGrpc.getStartJobMethod = getStartJobMethod =
              io.grpc.MethodDescriptor.<dev.dataaccess.admin.v1.StartJobRequest, dev.dataaccess.admin.v1.StartJobResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "StartJob"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.admin.v1.StartJobRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.admin.v1.StartJobResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("StartJob"))
              .build();
        }
      }
    }
    return getStartJobMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.GetJobRequest,
      dev.dataaccess.admin.v1.GetJobResponse> getGetJobMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetJob",
      requestType = dev.dataaccess.admin.v1.GetJobRequest.class,
      responseType = dev.dataaccess.admin.v1.GetJobResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.GetJobRequest,
      dev.dataaccess.admin.v1.GetJobResponse> getGetJobMethod() {
    io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.GetJobRequest, dev.dataaccess.admin.v1.GetJobResponse> getGetJobMethod;
    if ((getGetJobMethod = AdminServiceGrpc.getGetJobMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getGetJobMethod = AdminServiceGrpc.getGetJobMethod) == null) {
          AdminServiceGrpc.getGetJobMethod = getGetJobMethod =
              io.grpc.MethodDescriptor.<dev.dataaccess.admin.v1.GetJobRequest, dev.dataaccess.admin.v1.GetJobResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetJob"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.admin.v1.GetJobRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.admin.v1.GetJobResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("GetJob"))
              .build();
        }
      }
    }
    return getGetJobMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.ListJobsRequest,
      dev.dataaccess.admin.v1.ListJobsResponse> getListJobsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListJobs",
      requestType = dev.dataaccess.admin.v1.ListJobsRequest.class,
      responseType = dev.dataaccess.admin.v1.ListJobsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.ListJobsRequest,
      dev.dataaccess.admin.v1.ListJobsResponse> getListJobsMethod() {
    io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.ListJobsRequest, dev.dataaccess.admin.v1.ListJobsResponse> getListJobsMethod;
    if ((getListJobsMethod = AdminServiceGrpc.getListJobsMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getListJobsMethod = AdminServiceGrpc.getListJobsMethod) == null) {
          AdminServiceGrpc.getListJobsMethod = getListJobsMethod =
              io.grpc.MethodDescriptor.<dev.dataaccess.admin.v1.ListJobsRequest, dev.dataaccess.admin.v1.ListJobsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListJobs"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.admin.v1.ListJobsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.admin.v1.ListJobsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ListJobs"))
              .build();
        }
      }
    }
    return getListJobsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.StopJobRequest,
      dev.dataaccess.admin.v1.StopJobResponse> getStopJobMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "StopJob",
      requestType = dev.dataaccess.admin.v1.StopJobRequest.class,
      responseType = dev.dataaccess.admin.v1.StopJobResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.StopJobRequest,
      dev.dataaccess.admin.v1.StopJobResponse> getStopJobMethod() {
    io.grpc.MethodDescriptor<dev.dataaccess.admin.v1.StopJobRequest, dev.dataaccess.admin.v1.StopJobResponse> getStopJobMethod;
    if ((getStopJobMethod = AdminServiceGrpc.getStopJobMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getStopJobMethod = AdminServiceGrpc.getStopJobMethod) == null) {
          AdminServiceGrpc.getStopJobMethod = getStopJobMethod =
              io.grpc.MethodDescriptor.<dev.dataaccess.admin.v1.StopJobRequest, dev.dataaccess.admin.v1.StopJobResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "StopJob"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.admin.v1.StopJobRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.dataaccess.admin.v1.StopJobResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("StopJob"))
              .build();
        }
      }
    }
    return getStopJobMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static AdminServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceStub>() {
        @java.lang.Override
        public AdminServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceStub(channel, callOptions);
        }
      };
    return AdminServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static AdminServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingV2Stub>() {
        @java.lang.Override
        public AdminServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return AdminServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static AdminServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingStub>() {
        @java.lang.Override
        public AdminServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceBlockingStub(channel, callOptions);
        }
      };
    return AdminServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static AdminServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceFutureStub>() {
        @java.lang.Override
        public AdminServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceFutureStub(channel, callOptions);
        }
      };
    return AdminServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * AdminService reports and steers a sidecar.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * GetConfig returns the routing rules in force and the outcome of the last reload.
     * </pre>
     */
    default void getConfig(dev.dataaccess.admin.v1.GetConfigRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.GetConfigResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetConfigMethod(), responseObserver);
    }

    /**
     * <pre>
     * ListRoutes returns the state of every configured entity.
     * </pre>
     */
    default void listRoutes(dev.dataaccess.admin.v1.ListRoutesRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.ListRoutesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListRoutesMethod(), responseObserver);
    }

    /**
     * <pre>
     * GetRoute returns the state of one entity, with its recent mismatches.
     * </pre>
     */
    default void getRoute(dev.dataaccess.admin.v1.GetRouteRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.GetRouteResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetRouteMethod(), responseObserver);
    }

    /**
     * <pre>
     * StartJob starts a backfill or a verify of one entity inside this sidecar, as a background job on
     * the rules in force (a reload moves it onto the new rules after its current page).
     * </pre>
     */
    default void startJob(dev.dataaccess.admin.v1.StartJobRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.StartJobResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getStartJobMethod(), responseObserver);
    }

    /**
     * <pre>
     * GetJob returns one job's progress.
     * </pre>
     */
    default void getJob(dev.dataaccess.admin.v1.GetJobRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.GetJobResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetJobMethod(), responseObserver);
    }

    /**
     * <pre>
     * ListJobs returns the jobs this sidecar started since it started, newest first.
     * </pre>
     */
    default void listJobs(dev.dataaccess.admin.v1.ListJobsRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.ListJobsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListJobsMethod(), responseObserver);
    }

    /**
     * <pre>
     * StopJob asks a job to stop after its current page; a backfill keeps its checkpoint and a later
     * run of the same segment resumes from it.
     * </pre>
     */
    default void stopJob(dev.dataaccess.admin.v1.StopJobRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.StopJobResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getStopJobMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service AdminService.
   * <pre>
   * AdminService reports and steers a sidecar.
   * </pre>
   */
  public static abstract class AdminServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return AdminServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service AdminService.
   * <pre>
   * AdminService reports and steers a sidecar.
   * </pre>
   */
  public static final class AdminServiceStub
      extends io.grpc.stub.AbstractAsyncStub<AdminServiceStub> {
    private AdminServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * GetConfig returns the routing rules in force and the outcome of the last reload.
     * </pre>
     */
    public void getConfig(dev.dataaccess.admin.v1.GetConfigRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.GetConfigResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetConfigMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * ListRoutes returns the state of every configured entity.
     * </pre>
     */
    public void listRoutes(dev.dataaccess.admin.v1.ListRoutesRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.ListRoutesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListRoutesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * GetRoute returns the state of one entity, with its recent mismatches.
     * </pre>
     */
    public void getRoute(dev.dataaccess.admin.v1.GetRouteRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.GetRouteResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetRouteMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * StartJob starts a backfill or a verify of one entity inside this sidecar, as a background job on
     * the rules in force (a reload moves it onto the new rules after its current page).
     * </pre>
     */
    public void startJob(dev.dataaccess.admin.v1.StartJobRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.StartJobResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getStartJobMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * GetJob returns one job's progress.
     * </pre>
     */
    public void getJob(dev.dataaccess.admin.v1.GetJobRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.GetJobResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetJobMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * ListJobs returns the jobs this sidecar started since it started, newest first.
     * </pre>
     */
    public void listJobs(dev.dataaccess.admin.v1.ListJobsRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.ListJobsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListJobsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * StopJob asks a job to stop after its current page; a backfill keeps its checkpoint and a later
     * run of the same segment resumes from it.
     * </pre>
     */
    public void stopJob(dev.dataaccess.admin.v1.StopJobRequest request,
        io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.StopJobResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getStopJobMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service AdminService.
   * <pre>
   * AdminService reports and steers a sidecar.
   * </pre>
   */
  public static final class AdminServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<AdminServiceBlockingV2Stub> {
    private AdminServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * GetConfig returns the routing rules in force and the outcome of the last reload.
     * </pre>
     */
    public dev.dataaccess.admin.v1.GetConfigResponse getConfig(dev.dataaccess.admin.v1.GetConfigRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetConfigMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ListRoutes returns the state of every configured entity.
     * </pre>
     */
    public dev.dataaccess.admin.v1.ListRoutesResponse listRoutes(dev.dataaccess.admin.v1.ListRoutesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListRoutesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetRoute returns the state of one entity, with its recent mismatches.
     * </pre>
     */
    public dev.dataaccess.admin.v1.GetRouteResponse getRoute(dev.dataaccess.admin.v1.GetRouteRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetRouteMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * StartJob starts a backfill or a verify of one entity inside this sidecar, as a background job on
     * the rules in force (a reload moves it onto the new rules after its current page).
     * </pre>
     */
    public dev.dataaccess.admin.v1.StartJobResponse startJob(dev.dataaccess.admin.v1.StartJobRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getStartJobMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetJob returns one job's progress.
     * </pre>
     */
    public dev.dataaccess.admin.v1.GetJobResponse getJob(dev.dataaccess.admin.v1.GetJobRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetJobMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ListJobs returns the jobs this sidecar started since it started, newest first.
     * </pre>
     */
    public dev.dataaccess.admin.v1.ListJobsResponse listJobs(dev.dataaccess.admin.v1.ListJobsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListJobsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * StopJob asks a job to stop after its current page; a backfill keeps its checkpoint and a later
     * run of the same segment resumes from it.
     * </pre>
     */
    public dev.dataaccess.admin.v1.StopJobResponse stopJob(dev.dataaccess.admin.v1.StopJobRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getStopJobMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service AdminService.
   * <pre>
   * AdminService reports and steers a sidecar.
   * </pre>
   */
  public static final class AdminServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<AdminServiceBlockingStub> {
    private AdminServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * GetConfig returns the routing rules in force and the outcome of the last reload.
     * </pre>
     */
    public dev.dataaccess.admin.v1.GetConfigResponse getConfig(dev.dataaccess.admin.v1.GetConfigRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetConfigMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ListRoutes returns the state of every configured entity.
     * </pre>
     */
    public dev.dataaccess.admin.v1.ListRoutesResponse listRoutes(dev.dataaccess.admin.v1.ListRoutesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListRoutesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetRoute returns the state of one entity, with its recent mismatches.
     * </pre>
     */
    public dev.dataaccess.admin.v1.GetRouteResponse getRoute(dev.dataaccess.admin.v1.GetRouteRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetRouteMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * StartJob starts a backfill or a verify of one entity inside this sidecar, as a background job on
     * the rules in force (a reload moves it onto the new rules after its current page).
     * </pre>
     */
    public dev.dataaccess.admin.v1.StartJobResponse startJob(dev.dataaccess.admin.v1.StartJobRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getStartJobMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetJob returns one job's progress.
     * </pre>
     */
    public dev.dataaccess.admin.v1.GetJobResponse getJob(dev.dataaccess.admin.v1.GetJobRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetJobMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ListJobs returns the jobs this sidecar started since it started, newest first.
     * </pre>
     */
    public dev.dataaccess.admin.v1.ListJobsResponse listJobs(dev.dataaccess.admin.v1.ListJobsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListJobsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * StopJob asks a job to stop after its current page; a backfill keeps its checkpoint and a later
     * run of the same segment resumes from it.
     * </pre>
     */
    public dev.dataaccess.admin.v1.StopJobResponse stopJob(dev.dataaccess.admin.v1.StopJobRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getStopJobMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service AdminService.
   * <pre>
   * AdminService reports and steers a sidecar.
   * </pre>
   */
  public static final class AdminServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<AdminServiceFutureStub> {
    private AdminServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * GetConfig returns the routing rules in force and the outcome of the last reload.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.dataaccess.admin.v1.GetConfigResponse> getConfig(
        dev.dataaccess.admin.v1.GetConfigRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetConfigMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * ListRoutes returns the state of every configured entity.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.dataaccess.admin.v1.ListRoutesResponse> listRoutes(
        dev.dataaccess.admin.v1.ListRoutesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListRoutesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * GetRoute returns the state of one entity, with its recent mismatches.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.dataaccess.admin.v1.GetRouteResponse> getRoute(
        dev.dataaccess.admin.v1.GetRouteRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetRouteMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * StartJob starts a backfill or a verify of one entity inside this sidecar, as a background job on
     * the rules in force (a reload moves it onto the new rules after its current page).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.dataaccess.admin.v1.StartJobResponse> startJob(
        dev.dataaccess.admin.v1.StartJobRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getStartJobMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * GetJob returns one job's progress.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.dataaccess.admin.v1.GetJobResponse> getJob(
        dev.dataaccess.admin.v1.GetJobRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetJobMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * ListJobs returns the jobs this sidecar started since it started, newest first.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.dataaccess.admin.v1.ListJobsResponse> listJobs(
        dev.dataaccess.admin.v1.ListJobsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListJobsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * StopJob asks a job to stop after its current page; a backfill keeps its checkpoint and a later
     * run of the same segment resumes from it.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.dataaccess.admin.v1.StopJobResponse> stopJob(
        dev.dataaccess.admin.v1.StopJobRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getStopJobMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_GET_CONFIG = 0;
  private static final int METHODID_LIST_ROUTES = 1;
  private static final int METHODID_GET_ROUTE = 2;
  private static final int METHODID_START_JOB = 3;
  private static final int METHODID_GET_JOB = 4;
  private static final int METHODID_LIST_JOBS = 5;
  private static final int METHODID_STOP_JOB = 6;

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
        case METHODID_GET_CONFIG:
          serviceImpl.getConfig((dev.dataaccess.admin.v1.GetConfigRequest) request,
              (io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.GetConfigResponse>) responseObserver);
          break;
        case METHODID_LIST_ROUTES:
          serviceImpl.listRoutes((dev.dataaccess.admin.v1.ListRoutesRequest) request,
              (io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.ListRoutesResponse>) responseObserver);
          break;
        case METHODID_GET_ROUTE:
          serviceImpl.getRoute((dev.dataaccess.admin.v1.GetRouteRequest) request,
              (io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.GetRouteResponse>) responseObserver);
          break;
        case METHODID_START_JOB:
          serviceImpl.startJob((dev.dataaccess.admin.v1.StartJobRequest) request,
              (io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.StartJobResponse>) responseObserver);
          break;
        case METHODID_GET_JOB:
          serviceImpl.getJob((dev.dataaccess.admin.v1.GetJobRequest) request,
              (io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.GetJobResponse>) responseObserver);
          break;
        case METHODID_LIST_JOBS:
          serviceImpl.listJobs((dev.dataaccess.admin.v1.ListJobsRequest) request,
              (io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.ListJobsResponse>) responseObserver);
          break;
        case METHODID_STOP_JOB:
          serviceImpl.stopJob((dev.dataaccess.admin.v1.StopJobRequest) request,
              (io.grpc.stub.StreamObserver<dev.dataaccess.admin.v1.StopJobResponse>) responseObserver);
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
          getGetConfigMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.dataaccess.admin.v1.GetConfigRequest,
              dev.dataaccess.admin.v1.GetConfigResponse>(
                service, METHODID_GET_CONFIG)))
        .addMethod(
          getListRoutesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.dataaccess.admin.v1.ListRoutesRequest,
              dev.dataaccess.admin.v1.ListRoutesResponse>(
                service, METHODID_LIST_ROUTES)))
        .addMethod(
          getGetRouteMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.dataaccess.admin.v1.GetRouteRequest,
              dev.dataaccess.admin.v1.GetRouteResponse>(
                service, METHODID_GET_ROUTE)))
        .addMethod(
          getStartJobMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.dataaccess.admin.v1.StartJobRequest,
              dev.dataaccess.admin.v1.StartJobResponse>(
                service, METHODID_START_JOB)))
        .addMethod(
          getGetJobMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.dataaccess.admin.v1.GetJobRequest,
              dev.dataaccess.admin.v1.GetJobResponse>(
                service, METHODID_GET_JOB)))
        .addMethod(
          getListJobsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.dataaccess.admin.v1.ListJobsRequest,
              dev.dataaccess.admin.v1.ListJobsResponse>(
                service, METHODID_LIST_JOBS)))
        .addMethod(
          getStopJobMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.dataaccess.admin.v1.StopJobRequest,
              dev.dataaccess.admin.v1.StopJobResponse>(
                service, METHODID_STOP_JOB)))
        .build();
  }

  private static abstract class AdminServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    AdminServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.dataaccess.admin.v1.AdminProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("AdminService");
    }
  }

  private static final class AdminServiceFileDescriptorSupplier
      extends AdminServiceBaseDescriptorSupplier {
    AdminServiceFileDescriptorSupplier() {}
  }

  private static final class AdminServiceMethodDescriptorSupplier
      extends AdminServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    AdminServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (AdminServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new AdminServiceFileDescriptorSupplier())
              .addMethod(getGetConfigMethod())
              .addMethod(getListRoutesMethod())
              .addMethod(getGetRouteMethod())
              .addMethod(getStartJobMethod())
              .addMethod(getGetJobMethod())
              .addMethod(getListJobsMethod())
              .addMethod(getStopJobMethod())
              .build();
        }
      }
    }
    return result;
  }
}
