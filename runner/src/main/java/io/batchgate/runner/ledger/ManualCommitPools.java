package io.batchgate.runner.ledger;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Hands out the pool's connections with auto-commit off, so that a transaction costs its
 * statements and one COMMIT, not also a {@code SET autocommit=0} before and a {@code SET
 * autocommit=1} after (Spring's transaction manager switches auto-commit off for each transaction
 * and back when it ends; that was 14 of about 73 statements per run on MariaDB, bench/RESULTS.md).
 *
 * <p>Work done outside a transaction keeps auto-commit's meaning: a connection handed out by the
 * wrapped pool commits on close whatever its statements left uncommitted (a plain {@code
 * JdbcClient} call outside a transaction gets, uses and closes its own connection, so each call
 * still commits on its own). Without that, Hikari rolls back a connection returned with open work
 * when auto-commit is off, and a write made outside a transaction would be lost. A transaction
 * manager commits or rolls back before it closes, so its connections close with nothing to
 * commit. A read outside a transaction holds no locks at READ COMMITTED and is committed when its
 * connection closes, as before.
 */
public class ManualCommitPools implements BeanPostProcessor {

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool) {
            pool.setAutoCommit(false);
        }
        return bean;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool) {
            return new CommittingOnClose(pool);
        }
        return bean;
    }

    /** The pool, whose connections commit what is left open when they are closed. */
    public static final class CommittingOnClose extends DelegatingDataSource {

        private static final Logger log = LoggerFactory.getLogger(ManualCommitPools.class);
        private static final Set<String> STATEMENTS = Set.of("createStatement", "prepareStatement", "prepareCall");

        CommittingOnClose(DataSource pool) {
            super(pool);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return committingOnClose(obtainTargetDataSource().getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return committingOnClose(obtainTargetDataSource().getConnection(username, password));
        }

        private static Connection committingOnClose(Connection connection) {
            boolean[] open = {false}; // statements made since the last commit or rollback
            return (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        String name = method.getName();
                        if (name.equals("close") && open[0] && !connection.isClosed() && !connection.getAutoCommit()) {
                            try {
                                connection.commit();
                            } catch (SQLException e) {
                                // Spring logs a failed close at DEBUG only; a lost write must not go unnoticed
                                log.warn("work done outside a transaction could not be committed", e);
                                throw e;
                            } finally {
                                connection.close();
                            }
                            return null;
                        }
                        if (name.equals("equals")) {
                            return proxy == args[0];
                        }
                        if (name.equals("hashCode")) {
                            return System.identityHashCode(proxy);
                        }
                        Object result = invoke(connection, method, args);
                        if (STATEMENTS.contains(name)) {
                            open[0] = true;
                        } else if (name.equals("commit") || name.equals("rollback") && args == null) {
                            open[0] = false;
                        } else if (name.equals("setAutoCommit") && Boolean.TRUE.equals(args[0])) {
                            open[0] = false; // switching auto-commit on commits
                        }
                        return result;
                    });
        }

        private static Object invoke(Connection connection, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
