package io.batchgate.runner.slots;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.runner.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The same contract on MariaDB at its default REPEATABLE READ, through Connector/J. */
class MariaDbJobSlotsTests extends JobSlotsContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newMariaDbDatabase();
    }

    @Override
    protected String shortLockWait() {
        return "SET SESSION innodb_lock_wait_timeout = 1";
    }

    /** The server keeps its default; only batchgate's own connections run at READ COMMITTED. */
    @Test
    void theServerDefaultIsRepeatableRead() throws Exception {
        DataSource plain = TestDatabases.dataSource(newDatabaseUrl());
        try (Connection connection = plain.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@global.tx_isolation, @@tx_isolation")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("REPEATABLE-READ");
            assertThat(rs.getString(2)).isEqualTo("REPEATABLE-READ");
        }
    }
}
