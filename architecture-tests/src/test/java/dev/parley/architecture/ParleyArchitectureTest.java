package dev.parley.architecture;

import static dev.parley.architecture.ParleyClasses.PRODUCTION;
import static dev.parley.architecture.ParleyClasses.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/** The rules of {@link ParleyRules} on Parley's production classes. Each must hold. */
class ParleyArchitectureTest {

    private static void assertHolds(ArchRule rule) {
        EvaluationResult result = rule.evaluate(PRODUCTION);
        assertThat(result.hasViolation())
                .as("%s%n%s", rule.getDescription(), result.getFailureReport())
                .isFalse();
    }

    @Test
    void given_production_classes_when_checking_the_domain_then_it_depends_only_on_java_and_itself() {
        assertHolds(ParleyRules.domainOnlyUsesJava(ROOT));
    }

    @Test
    void given_production_classes_when_checking_the_application_then_it_depends_only_on_domain_java_and_itself() {
        assertHolds(ParleyRules.applicationOnlyUsesDomainAndJava(ROOT));
    }

    @Test
    void given_production_classes_when_checking_adapters_then_none_depends_on_another() {
        assertHolds(ParleyRules.adaptersDoNotDependOnEachOther(ROOT));
    }

    @Test
    void given_production_classes_when_checking_inner_layers_then_none_depends_on_bootstrap() {
        assertHolds(ParleyRules.onlyBootstrapKnowsBootstrap(ROOT));
    }

    @Test
    void given_production_classes_when_checking_injection_frameworks_then_only_bootstrap_uses_them() {
        assertHolds(ParleyRules.injectionFrameworksOnlyInBootstrap(ROOT));
    }

    @Test
    void given_production_classes_when_checking_packages_then_there_is_no_cycle() {
        assertHolds(ParleyRules.noPackageCycles(ROOT));
    }

    @Test
    void given_production_classes_when_checking_out_ports_then_they_are_interfaces() {
        assertHolds(ParleyRules.outPortsAreInterfaces(ROOT));
    }

    @Test
    void given_production_classes_when_checking_in_ports_then_use_cases_are_interfaces() {
        assertHolds(ParleyRules.inPortsAreInterfaces(ROOT));
    }

    @Test
    void given_production_classes_when_checking_fields_then_none_is_injected() {
        assertHolds(ParleyRules.noFieldInjection(ROOT));
    }

    @Test
    void given_production_classes_when_checking_the_onion_then_layers_hold_and_every_class_has_a_place() {
        assertHolds(ParleyRules.onion(ROOT));
    }

    @Test
    void given_production_classes_when_checking_standard_streams_then_only_bootstrap_and_benchmarks_print() {
        assertHolds(ParleyRules.noStandardStreamsOutsideBootstrapAndBenchmarks(ROOT));
    }

    @Test
    void given_production_classes_when_checking_the_client_then_it_uses_only_domain_java_and_jackson() {
        assertHolds(ParleyRules.clientUsesOnlyDomainJavaAndJackson(ROOT));
    }

    @Test
    void given_production_classes_when_checking_the_server_then_it_does_not_depend_on_the_client() {
        assertHolds(ParleyRules.serverDoesNotDependOnClient(ROOT));
    }

    @Test
    void given_production_classes_when_checking_use_cases_then_each_answers_with_an_outcome() {
        assertHolds(ParleyRules.inPortsAnswerWithOutcomes(ROOT));
    }

    @Test
    void given_production_classes_when_checking_out_ports_then_each_is_used_by_a_use_case() {
        assertHolds(ParleyRules.outPortsAreUsedByUseCases(ROOT));
    }
}
