package io.batchgate.runner.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

class ReadCommittedPoolsTests {

    private final ReadCommittedPools pools = new ReadCommittedPools();

    @Test
    void aPoolWithoutAnIsolationSettingRunsAtReadCommitted() {
        try (HikariDataSource pool = new HikariDataSource()) {
            pools.postProcessBeforeInitialization(pool, "dataSource");
            assertThat(pool.getTransactionIsolation()).isEqualTo("TRANSACTION_READ_COMMITTED");
        }
    }

    @Test
    void aPoolConfiguredForRepeatableReadIsRefusedWithTheSettingNamed() {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
            assertThatThrownBy(() -> pools.postProcessBeforeInitialization(pool, "dataSource"))
                    .hasMessageContaining("spring.datasource.hikari.transaction-isolation")
                    .hasMessageContaining("READ COMMITTED");
        }
    }

    @Test
    void serializableIsKept() {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setTransactionIsolation("TRANSACTION_SERIALIZABLE");
            pools.postProcessBeforeInitialization(pool, "dataSource");
            assertThat(pool.getTransactionIsolation()).isEqualTo("TRANSACTION_SERIALIZABLE");
        }
    }
}
