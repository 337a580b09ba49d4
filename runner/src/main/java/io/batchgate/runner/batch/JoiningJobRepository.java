package io.batchgate.runner.batch;

import java.util.Locale;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.batch.infrastructure.item.database.support.DataFieldMaxValueIncrementerFactory;
import org.springframework.batch.infrastructure.item.database.support.DefaultDataFieldMaxValueIncrementerFactory;
import org.springframework.jdbc.support.incrementer.DataFieldMaxValueIncrementer;
import org.springframework.jdbc.support.incrementer.MySQLMaxValueIncrementer;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.interceptor.NameMatchTransactionAttributeSource;

/**
 * The recorder's own view of Spring Batch's tables: the same tables as the application's {@link
 * JobRepository}, but every method joins the caller's transaction. Spring Batch's repository runs
 * {@code create*} in a transaction of its own ({@code REQUIRES_NEW}), which would cost each launch
 * two more commits and two more pooled connections, and would leave a STARTED execution behind
 * when the claim around it is rolled back. The recorder's callers own the transaction, and the job
 * instance is the run, which only the claim's winner records, so nothing needs the isolation that
 * Spring Batch's separate transactions provide.
 */
public final class JoiningJobRepository {

    /** Job instance ids reserved at a time on MySQL/MariaDB (a gap at most this wide is lost on a restart). */
    static final int INSTANCE_IDS_RESERVED = 100;

    private JoiningJobRepository() {}

    public static JobRepository create(
            DataSource dataSource,
            PlatformTransactionManager transactionManager,
            String tablePrefix,
            Isolation isolationForCreate)
            throws Exception {
        Properties attributes = new Properties();
        // alone (no caller's transaction), creates run at the configured isolation, as Spring Batch's do
        attributes.setProperty("create*", "PROPAGATION_REQUIRED,ISOLATION_" + isolationForCreate.name());
        attributes.setProperty("*", "PROPAGATION_REQUIRED");
        NameMatchTransactionAttributeSource joining = new NameMatchTransactionAttributeSource();
        joining.setProperties(attributes);
        JdbcJobRepositoryFactoryBean factory = new JdbcJobRepositoryFactoryBean();
        factory.setDataSource(dataSource);
        factory.setTransactionManager(transactionManager);
        factory.setTablePrefix(tablePrefix);
        factory.setTransactionAttributeSource(joining);
        factory.setValidateTransactionState(false);
        factory.setIncrementerFactory(new InTransactionIds(new DefaultDataFieldMaxValueIncrementerFactory(dataSource)));
        factory.afterPropertiesSet();
        return factory.getObject();
    }

    /**
     * On MySQL/MariaDB, where Spring Batch draws ids from a one-row table on a connection of its
     * own (an UPDATE, a SELECT and a COMMIT per id, twice per launch), the execution id is drawn
     * on the caller's connection, in the claim's transaction (the row stays locked until that
     * commits, so execution ids keep their creation order, which Spring Batch's "last execution"
     * relies on), and job instance ids are reserved {@value #INSTANCE_IDS_RESERVED} at a time
     * (one instance per run; their order across replicas does not matter). Other databases keep
     * Spring Batch's incrementers.
     */
    private record InTransactionIds(DataFieldMaxValueIncrementerFactory defaults)
            implements DataFieldMaxValueIncrementerFactory {

        @Override
        public DataFieldMaxValueIncrementer getIncrementer(String databaseType, String incrementerName) {
            DataFieldMaxValueIncrementer incrementer = defaults.getIncrementer(databaseType, incrementerName);
            if (incrementer instanceof MySQLMaxValueIncrementer mySql) {
                String name = incrementerName.toUpperCase(Locale.ROOT);
                if (name.endsWith("JOB_EXECUTION_SEQ")) {
                    mySql.setUseNewConnection(false);
                } else if (name.endsWith("JOB_INSTANCE_SEQ")) {
                    mySql.setCacheSize(INSTANCE_IDS_RESERVED);
                }
            }
            return incrementer;
        }

        @Override
        public boolean isSupportedIncrementerType(String databaseType) {
            return defaults.isSupportedIncrementerType(databaseType);
        }

        @Override
        public String[] getSupportedIncrementerTypes() {
            return defaults.getSupportedIncrementerTypes();
        }
    }
}
