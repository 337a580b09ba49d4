package io.batchgate.runner.batch;

import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
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
        factory.afterPropertiesSet();
        return factory.getObject();
    }
}
