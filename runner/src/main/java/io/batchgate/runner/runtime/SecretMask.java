package io.batchgate.runner.runtime;

import io.batchgate.catalog.ParamSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** Masks the values of a job's secret parameters in an environment that is shown to someone. */
public final class SecretMask {

    public static final String MASK = "******";

    private SecretMask() {}

    public static Map<String, String> environment(TaskLaunch launch) {
        Map<String, String> masked = new LinkedHashMap<>();
        launch.environment().forEach((name, value) -> {
            ParamSpec spec = launch.job().params().get(name);
            masked.put(name, spec != null && spec.secret() ? MASK : value);
        });
        return masked;
    }
}
