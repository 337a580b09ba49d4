package io.batchgate.runner.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.batchgate.runner.testing.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class MariaDbManualCommitPoolsTests extends ManualCommitPoolsContractTests {
    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newMariaDbDatabase();
    }

    /** Spring's transaction manager no longer switches auto-commit off and on around each transaction. */
    @Test
    void aTransactionSendsNoAutoCommitToggles() throws Exception {
        try (HikariDataSource pool = pool(newDatabaseUrl())) {
            DataSource wrapped = (DataSource) pools.postProcessAfterInitialization(pool, "dataSource");
            JdbcClient jdbc = JdbcClient.create(wrapped);
            jdbc.sql("CREATE TABLE t (v INT)").update();
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(wrapped));
            long before = setOptions(jdbc);
            for (int i = 0; i < 3; i++) {
                tx.executeWithoutResult(
                        status -> jdbc.sql("INSERT INTO t (v) VALUES (1)").update());
            }
            // 6 on a pool with auto-commit on: SET autocommit=0 and =1 around each transaction
            assertThat(setOptions(jdbc) - before).isZero();
        }
    }

    private static long setOptions(JdbcClient jdbc) {
        return jdbc.sql("SHOW SESSION STATUS LIKE 'Com_set_option'")
                .query((rs, n) -> rs.getLong(2))
                .single();
    }
}
