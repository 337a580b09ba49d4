package io.batchgate.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * CPU time used so far by the benchmark's JVM (the application, its load generator and the
 * simulators all run in it) and by the MariaDB server {@code bench/run} started, whose pid it
 * passes in {@code BATCHGATE_BENCH_MARIADB_PID}. Read before and after a phase, the difference
 * says where a job's CPU goes on a machine whose two cores are both busy.
 */
record CpuTime(long jvmNanos, OptionalLong mariaDbNanos) {

    /** Linux's USER_HZ: the unit of utime and stime in /proc/PID/stat. */
    private static final long TICKS_PER_SECOND = 100;

    static CpuTime now() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new CpuTime(jvm, mariaDb());
    }

    private static OptionalLong mariaDb() {
        String pid = System.getenv("BATCHGATE_BENCH_MARIADB_PID");
        if (pid == null || pid.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            String stat = Files.readString(Path.of("/proc", pid.trim(), "stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return OptionalLong.of(ticks * 1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** CPU used between {@code before} and this reading, per job, in milliseconds. */
    double jvmMsPerJob(CpuTime before, int jobs) {
        return (jvmNanos - before.jvmNanos) / 1e6 / jobs;
    }

    /** The MariaDB server's CPU between {@code before} and this reading, per job; empty when unknown. */
    OptionalDouble mariaDbMsPerJob(CpuTime before, int jobs) {
        if (mariaDbNanos.isEmpty() || before.mariaDbNanos.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((mariaDbNanos.getAsLong() - before.mariaDbNanos.getAsLong()) / 1e6 / jobs);
    }
}
