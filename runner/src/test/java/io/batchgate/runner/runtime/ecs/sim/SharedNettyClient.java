package io.batchgate.runner.runtime.ecs.sim;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;

/**
 * One Netty HTTP client for a test class's SDK async clients ({@code @RegisterExtension static}):
 * closing a Netty client waits out its event loops' 2 s graceful shutdown, which a client per
 * test pays every time. Clients built on it do not close it; the extension does after the class.
 */
public final class SharedNettyClient implements BeforeAllCallback, AfterAllCallback {

    private SdkAsyncHttpClient http;

    @Override
    public void beforeAll(ExtensionContext context) {
        http = NettyNioAsyncHttpClient.builder().build();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        http.close();
    }

    public SdkAsyncHttpClient get() {
        return http;
    }
}
