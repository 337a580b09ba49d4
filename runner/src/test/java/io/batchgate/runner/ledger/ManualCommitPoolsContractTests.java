package io.batchgate.runner.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.batchgate.runner.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** A pool with auto-commit off, on H2 and on MariaDB: nothing written outside a transaction is lost. */
abstract class ManualCommitPoolsContractTests {

    protected abstract String newDatabaseUrl();

    final ManualCommitPools pools = new ManualCommitPools();

    HikariDataSource pool(String url) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(url.startsWith("jdbc:mysql:") ? TestDatabases.MARIADB_USER : "sa");
        pool.setPassword(url.startsWith("jdbc:mysql:") ? TestDatabases.MARIADB_PASSWORD : "");
        pool.setMaximumPoolSize(1); // one connection: what one use leaves open, the next one finds
        new MySqlDriverTuning().postProcessAfterInitialization(pool, "dataSource");
        new ReadCommittedPools().postProcessBeforeInitialization(pool, "dataSource");
        pools.postProcessBeforeInitialization(pool, "dataSource");
        return pool;
    }

    @Test
    void aWriteOutsideATransactionIsCommitted() throws Exception {
        String url = newDatabaseUrl();
        try (HikariDataSource pool = pool(url)) {
            DataSource wrapped = (DataSource) pools.postProcessAfterInitialization(pool, "dataSource");
            JdbcClient jdbc = JdbcClient.create(wrapped);
            jdbc.sql("CREATE TABLE t (v INT)").update();
            jdbc.sql("INSERT INTO t (v) VALUES (1)").update();
            jdbc.sql("INSERT INTO t (v) VALUES (2)").update();
            // a transaction that rolls back takes only its own write with it
            new TransactionTemplate(new DataSourceTransactionManager(wrapped)).executeWithoutResult(status -> {
                jdbc.sql("INSERT INTO t (v) VALUES (3)").update();
                status.setRollbackOnly();
            });
            try (Connection other = TestDatabases.dataSource(url).getConnection();
                    Statement statement = other.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM t")) {
                rs.next();
                assertThat(rs.getInt(1)).as("rows another connection sees").isEqualTo(2);
            }
        }
    }
}
