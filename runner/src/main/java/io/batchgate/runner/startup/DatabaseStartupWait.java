package io.batchgate.runner.startup;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Hands out a DataSource only once it gives a connection: Liquibase, Spring Batch and the ledger
 * all use it at start-up, and a database that is still booting (after a reboot, a failover)
 * would fail the whole start at the first refused connection. A Hikari pool that could not
 * connect is built again on the next {@code getConnection}, so trying again is enough.
 */
class DatabaseStartupWait implements BeanPostProcessor {

    private final ObjectProvider<StartupWait> startupWait;

    DatabaseStartupWait(ObjectProvider<StartupWait> startupWait) {
        this.startupWait = startupWait;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource) {
            startupWait.getObject().until("the database at " + describe(dataSource, beanName), () -> {
                try (Connection connection = dataSource.getConnection()) {
                    return connection.isValid(5);
                }
            });
        }
        return bean;
    }

    /** The JDBC URL without its query (which may carry credentials), or the bean's name. */
    static String describe(DataSource dataSource, String beanName) {
        if (dataSource instanceof DelegatingDataSource wrapper && wrapper.getTargetDataSource() != null) {
            return describe(wrapper.getTargetDataSource(), beanName);
        }
        if (dataSource instanceof HikariDataSource pool && pool.getJdbcUrl() != null) {
            String url = pool.getJdbcUrl();
            int query = url.indexOf('?');
            int settings = url.startsWith("jdbc:h2:") ? url.indexOf(';') : -1;
            int end = query >= 0 ? query : settings >= 0 ? settings : url.length();
            return url.substring(0, end);
        }
        return "'" + beanName + "'";
    }
}
