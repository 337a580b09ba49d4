package io.batchgate.runner.aws;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * The Region and endpoint settings every AWS adapter takes the same way: unset means the SDK's
 * default chain; an endpoint on this machine is a simulator, which needs no real credentials (and
 * a Region only because the SDK insists on one).
 */
public final class AwsClientSettings {

    private AwsClientSettings() {}

    public static <B extends AwsClientBuilder<B, ?>> B apply(
            B builder, @Nullable String region, @Nullable URI endpoint) {
        if (region != null) {
            builder.region(Region.of(region));
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
            String host = endpoint.getHost();
            if (host.equals("127.0.0.1") || host.equals("localhost")) {
                builder.credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
                if (region == null) {
                    builder.region(Region.US_EAST_1);
                }
            }
        }
        return builder;
    }
}
