package io.caucus.grpc;

import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Answers every method no registered service serves (commands, queries, the event scheduler,
 * persistent streams, DCB, event transformation, admin) with {@code UNIMPLEMENTED} and a message
 * naming the method and saying that Caucus does not serve it yet, instead of gRPC's bare "method
 * not found". Stateless, thread safe.
 */
final class NotServedRegistry extends HandlerRegistry {

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  @Override
  public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
    MethodDescriptor<byte[], byte[]> method =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNKNOWN)
            .setFullMethodName(methodName)
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
    return ServerMethodDefinition.create(
        method,
        (ServerCall<byte[], byte[]> call, Metadata headers) -> {
          call.close(
              Status.UNIMPLEMENTED.withDescription(
                  "Caucus does not serve "
                      + methodName
                      + " yet: it serves PlatformService and the EventStore's append, read and"
                      + " tracking calls (see the README, section gRPC API)."),
              new Metadata());
          return new ServerCall.Listener<>() {};
        });
  }
}
