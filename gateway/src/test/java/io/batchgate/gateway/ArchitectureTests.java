package io.batchgate.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The dependency rules of DESIGN.md, checked on the compiled classes of all three modules. */
@AnalyzeClasses(
        packages = "io.batchgate",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTests.NoTestJars.class})
class ArchitectureTests {

    /** Test code (also in the runner's test jar) may use anything. */
    static final class NoTestJars implements ImportOption {
        @Override
        public boolean includes(com.tngtech.archunit.core.importer.Location location) {
            return !location.contains("-tests.jar");
        }
    }

    @ArchTest
    static final ArchRule catalogIsPlainJava = noClasses()
            .that()
            .resideInAPackage("io.batchgate.catalog..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework..",
                    "software.amazon..",
                    "io.awspring..",
                    "java.sql..",
                    "io.batchgate.runner..",
                    "io.batchgate.gateway..");

    @ArchTest
    static final ArchRule runDomainKnowsNoInfrastructure = noClasses()
            .that()
            .resideInAPackage("io.batchgate.runner.run..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework..",
                    "software.amazon..",
                    "io.awspring..",
                    "java.sql..",
                    "javax.sql..",
                    "jakarta..",
                    "tools.jackson..");

    @ArchTest
    static final ArchRule runnerNeverPointsBackToTheGateway = noClasses()
            .that()
            .resideInAPackage("io.batchgate.runner..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.batchgate.gateway..");

    @ArchTest
    static final ArchRule awsTypesStayInTheirAdapters = noClasses()
            .that()
            .resideOutsideOfPackages(
                    "..queue.sqs..",
                    "..runtime.ecs..",
                    "..logs.cloudwatch..",
                    "..secrets.kms..",
                    "io.batchgate.runner.aws..", // the settings the adapters share
                    "io.batchgate.gateway.embedded..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("software.amazon..", "io.awspring..");

    /** The log port and its readers know their adapters only as {@code LogSource}/{@code LogSink}. */
    @ArchTest
    static final ArchRule logsPortKnowsNoAdapter = noClasses()
            .that()
            .resideInAnyPackage("io.batchgate.runner.logs", "io.batchgate.gateway.logs..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.batchgate.runner.logs.cloudwatch..", "io.batchgate.runner.runtime.ecs..");

    @ArchTest
    static final ArchRule springBatchStaysInItsGluePackage = noClasses()
            .that()
            .resideOutsideOfPackage("io.batchgate.runner.batch..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework.batch..");

    @ArchTest
    static final ArchRule elasticMqOnlyInTheEmbeddedDefault = noClasses()
            .that()
            .resideOutsideOfPackage("io.batchgate.gateway.embedded..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.elasticmq..");

    /**
     * The gateway reaches the runner through its ports and services, never through an adapter:
     * which queue, runtime, log store or monitor is configured is the runner's business.
     */
    @ArchTest
    static final ArchRule gatewayKnowsNoAdapter = noClasses()
            .that()
            .resideInAPackage("io.batchgate.gateway..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "..runner.queue.sqs..",
                    "..runner.runtime.ecs..",
                    "..runner.runtime.local..",
                    "..runner.logs.cloudwatch..",
                    "..runner.monitor.healthchecks..");

    /**
     * Triggers go through admission: the HTTP trigger maps requests to {@code Admission} and its
     * outcomes back, and touches no storage, queue, launch or slot of its own.
     */
    @ArchTest
    static final ArchRule triggersGoThroughAdmission = noClasses()
            .that()
            .resideInAPackage("io.batchgate.gateway.trigger..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.batchgate.runner.ledger..",
                    "io.batchgate.runner.queue..",
                    "io.batchgate.runner.launch..",
                    "io.batchgate.runner.slots..",
                    "io.batchgate.runner.runtime..");

    /**
     * Admission serves every way in (API, console, schedules, job nets), so the runner speaks no
     * HTTP: refusals are domain reasons, which the gateway maps to problems.
     */
    @ArchTest
    static final ArchRule runnerSpeaksNoHttp = noClasses()
            .that()
            .resideInAPackage("io.batchgate.runner..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework.http..", "org.springframework.web..", "jakarta.servlet..");

    @ArchTest
    static final ArchRule modulesAreFreeOfCycles =
            slices().matching("io.batchgate.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule runnerPackagesAreFreeOfCycles =
            slices().matching("io.batchgate.runner.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule gatewayPackagesAreFreeOfCycles =
            slices().matching("io.batchgate.gateway.(*)..").should().beFreeOfCycles();
}
