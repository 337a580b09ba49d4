package io.batchgate.runner.ledger;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;

/**
 * Gives a Hikari pool on MySQL Connector/J (MySQL and MariaDB) the driver settings HikariCP
 * recommends for it: statements prepared on the server and cached per connection, session state
 * tracked in the driver, batched inserts rewritten. Without them Connector/J parses every
 * statement's SQL on each call, and a run's launch spent more of its CPU in that parsing than in
 * anything else (bench/RESULTS.md). A setting already given, as a {@code
 * spring.datasource.hikari.data-source-properties} entry or in the URL, is left as it is.
 */
class MySqlDriverTuning implements BeanPostProcessor, Ordered {

    static final Map<String, String> SETTINGS = Map.of(
            "useServerPrepStmts", "true",
            "cachePrepStmts", "true",
            "prepStmtCacheSize", "250",
            "prepStmtCacheSqlLimit", "2048",
            "useLocalSessionState", "true",
            "rewriteBatchedStatements", "true",
            "cacheResultSetMetadata", "true",
            "cacheServerConfiguration", "true",
            "maintainTimeStats", "false");

    /** Before anything opens the pool (start-up's wait for the database): a started pool is sealed. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool && isMySqlDriver(pool.getJdbcUrl())) {
            String url = pool.getJdbcUrl().toLowerCase(Locale.ROOT);
            SETTINGS.forEach((name, value) -> {
                boolean inUrl = url.contains(name.toLowerCase(Locale.ROOT) + "=");
                if (!inUrl && !pool.getDataSourceProperties().containsKey(name)) {
                    pool.addDataSourceProperty(name, value);
                }
            });
        }
        return bean;
    }

    static boolean isMySqlDriver(String jdbcUrl) {
        return jdbcUrl != null && (jdbcUrl.startsWith("jdbc:mysql:") || jdbcUrl.startsWith("jdbc:mysql+srv:"));
    }
}
