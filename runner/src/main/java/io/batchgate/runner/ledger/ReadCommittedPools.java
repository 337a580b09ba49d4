package io.batchgate.runner.ledger;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Runs every connection of the pool at READ COMMITTED, whatever the server's default.
 *
 * <p>Why: overlap and concurrency limits are decided by counting a job's runs after taking the
 * job's lock row ({@code SELECT … FOR UPDATE} on {@code bg_job_lock}). At InnoDB's default
 * REPEATABLE READ a plain {@code SELECT} after that lock still reads the snapshot taken at the
 * transaction's first read — before the lock wait — so it misses the run that the previous lock
 * holder has just committed, and two triggers of a {@code forbid} job both see "nothing active".
 * At READ COMMITTED every statement reads the latest committed rows: the count that follows the
 * lock sees everything its predecessor committed before releasing it. READ COMMITTED also takes
 * no gap locks on searches, which removes most of InnoDB's deadlocks between concurrent
 * inserters. H2 runs at READ COMMITTED by default; setting it there too keeps one behaviour.
 *
 * <p>This is set per connection by the pool, so users need not change their server's (RDS
 * parameter group's) default. A pool configured explicitly for a weaker level is refused at
 * start-up. (A data source that is not a Hikari pool must be set to READ COMMITTED by whoever
 * provides it.)
 */
public class ReadCommittedPools implements BeanPostProcessor {

    static final String LEVEL = "TRANSACTION_READ_COMMITTED";

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool) {
            String configured = pool.getTransactionIsolation();
            if (configured != null && !LEVEL.equals(configured) && !"TRANSACTION_SERIALIZABLE".equals(configured)) {
                throw new IllegalStateException("spring.datasource.hikari.transaction-isolation is " + configured
                        + ": batchgate's overlap and concurrency limits need READ COMMITTED (or SERIALIZABLE);"
                        + " leave the setting out and batchgate sets READ COMMITTED");
            }
            if (configured == null) {
                pool.setTransactionIsolation(LEVEL);
            }
        }
        return bean;
    }
}
