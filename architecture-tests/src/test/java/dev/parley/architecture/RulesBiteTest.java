package dev.parley.architecture;

import static dev.parley.architecture.ParleyClasses.fixture;
import static dev.parley.architecture.ParleyClasses.fixtureRoot;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every rule of {@link ParleyRules}, run on a small fixture tree that breaks it on purpose, must
 * report a violation, and every line of its report must name the class planted to break it (so the
 * verdict comes from the plant, not from, say, an empty layer). The {@code clean} fixture, which has
 * the same shape and breaks nothing, must pass every rule.
 */
class RulesBiteTest {

    @TestFactory
    Stream<DynamicTest> given_the_clean_fixture_when_running_each_rule_then_none_is_violated() {
        String root = fixtureRoot(FixtureCases.CLEAN);
        return ParleyRules.all(root).stream().map(rule -> DynamicTest.dynamicTest(rule.getDescription(), () -> {
            EvaluationResult result = rule.evaluate(fixture(FixtureCases.CLEAN));
            assertThat(result.hasViolation()).as("%s", result.getFailureReport()).isFalse();
        }));
    }

    @Test
    void given_a_domain_class_using_an_application_port_when_checking_the_domain_then_it_is_reported() {
        assertBites(ParleyRules::domainOnlyUsesJava, FixtureCases.DOMAIN_TO_APPLICATION,
                dev.parley.architecture.fixtures.domaintoapplication.domain.Room.class);
    }

    @Test
    void given_a_domain_record_with_a_jackson_annotation_when_checking_the_domain_then_it_is_reported() {
        assertBites(ParleyRules::domainOnlyUsesJava, FixtureCases.DOMAIN_FRAMEWORK,
                dev.parley.architecture.fixtures.domainframework.domain.Room.class);
    }

    @Test
    void given_a_service_building_an_adapter_when_checking_the_application_then_it_is_reported() {
        assertBites(ParleyRules::applicationOnlyUsesDomainAndJava, FixtureCases.APPLICATION_TO_ADAPTER,
                dev.parley.architecture.fixtures.applicationtoadapter.application.service.JoinRoomService.class);
    }

    @Test
    void given_an_adapter_using_another_adapter_when_checking_adapters_then_it_is_reported() {
        assertBites(ParleyRules::adaptersDoNotDependOnEachOther, FixtureCases.ADAPTER_TO_ADAPTER,
                dev.parley.architecture.fixtures.adaptertoadapter.adapters.websocket.RoomEndpoint.class);
    }

    @Test
    void given_an_adapter_reading_bootstrap_settings_when_checking_bootstrap_use_then_it_is_reported() {
        assertBites(ParleyRules::onlyBootstrapKnowsBootstrap, FixtureCases.ADAPTER_TO_BOOTSTRAP,
                dev.parley.architecture.fixtures.adaptertobootstrap.adapters.postgres.PostgresRoomStore.class);
    }

    @Test
    void given_a_guice_module_in_an_adapter_when_checking_injection_frameworks_then_only_the_adapter_is_reported() {
        assertBites(ParleyRules::injectionFrameworksOnlyInBootstrap, FixtureCases.GUICE_IN_ADAPTER,
                dev.parley.architecture.fixtures.guiceinadapter.adapters.memory.MemoryModule.class);
    }

    @Test
    void given_jakarta_inject_in_a_service_when_checking_injection_frameworks_then_it_is_reported() {
        assertBites(ParleyRules::injectionFrameworksOnlyInBootstrap, FixtureCases.JAKARTA_IN_APPLICATION,
                dev.parley.architecture.fixtures.jakartainapplication.application.service.JoinRoomService.class);
    }

    @Test
    void given_two_domain_packages_using_each_other_when_checking_cycles_then_both_are_reported() {
        assertBites(ParleyRules::noPackageCycles, FixtureCases.CYCLE,
                dev.parley.architecture.fixtures.cycle.domain.room.Room.class,
                dev.parley.architecture.fixtures.cycle.domain.user.Member.class);
    }

    @Test
    void given_an_out_port_as_abstract_class_when_checking_out_ports_then_only_it_is_reported() {
        assertBites(ParleyRules::outPortsAreInterfaces, FixtureCases.OUT_PORT_CLASS,
                dev.parley.architecture.fixtures.outportclass.application.port.out.RoomStore.class);
    }

    @Test
    void given_a_use_case_as_abstract_class_when_checking_in_ports_then_it_is_reported() {
        assertBites(ParleyRules::inPortsAreInterfaces, FixtureCases.IN_PORT_CLASS,
                dev.parley.architecture.fixtures.inportclass.application.port.in.JoinRoomUseCase.class);
    }

    @Test
    void given_a_guice_inject_field_when_checking_field_injection_then_it_is_reported() {
        assertBites(ParleyRules::noFieldInjection, FixtureCases.GUICE_FIELD_INJECTION,
                dev.parley.architecture.fixtures.guicefieldinjection.bootstrap.Wiring.class);
    }

    @Test
    void given_a_jakarta_inject_field_when_checking_field_injection_then_it_is_reported() {
        assertBites(ParleyRules::noFieldInjection, FixtureCases.JAKARTA_FIELD_INJECTION,
                dev.parley.architecture.fixtures.jakartafieldinjection.bootstrap.Wiring.class);
    }

    @Test
    void given_a_port_using_a_service_when_checking_the_onion_then_it_is_reported() {
        assertBites(ParleyRules::onion, FixtureCases.ONION_PORT_ON_SERVICE,
                dev.parley.architecture.fixtures.onionportonservice.application.port.out.RoomStore.class);
    }

    @Test
    void given_a_class_in_a_package_of_no_layer_when_checking_the_onion_then_it_is_reported() {
        assertBites(ParleyRules::onion, FixtureCases.ONION_STRAY,
                dev.parley.architecture.fixtures.onionstray.util.Strings.class);
    }

    @Test
    void given_an_adapter_printing_to_system_out_when_checking_standard_streams_then_only_it_is_reported() {
        assertBites(ParleyRules::noStandardStreamsOutsideBootstrapAndBenchmarks, FixtureCases.STDOUT,
                dev.parley.architecture.fixtures.stdout.adapters.websocket.RoomEndpoint.class);
    }

    @Test
    void given_a_service_printing_to_system_err_when_checking_standard_streams_then_it_is_reported() {
        assertBites(ParleyRules::noStandardStreamsOutsideBootstrapAndBenchmarks, FixtureCases.STDERR,
                dev.parley.architecture.fixtures.stderr.application.service.ChatService.class);
    }

    @Test
    void given_a_client_using_an_application_command_when_checking_the_client_then_it_is_reported() {
        assertBites(ParleyRules::clientUsesOnlyDomainJavaAndJackson, FixtureCases.CLIENT_TO_APPLICATION,
                dev.parley.architecture.fixtures.clienttoapplication.client.RoomClient.class);
    }

    @Test
    void given_an_adapter_using_the_client_codec_when_checking_the_server_then_it_is_reported() {
        assertBites(ParleyRules::serverDoesNotDependOnClient, FixtureCases.SERVER_TO_CLIENT,
                dev.parley.architecture.fixtures.servertoclient.adapters.websocket.RoomEndpoint.class);
    }

    @Test
    void given_each_rule_when_run_on_every_broken_fixture_then_at_least_one_fixture_breaks_it() {
        // A rule added to ParleyRules.all() without a fixture that breaks it fails here.
        List<String> rootless = ParleyRules.all(ParleyClasses.ROOT).stream()
                .map(ArchRule::getDescription)
                .collect(Collectors.toList());
        for (int i = 0; i < rootless.size(); i++) {
            int index = i;
            List<String> breakingCases = FixtureCases.BROKEN.stream()
                    .filter(fixtureCase -> bites(ParleyRules.all(fixtureRoot(fixtureCase)).get(index), fixtureCase))
                    .collect(Collectors.toList());
            assertThat(breakingCases).as("fixtures that break '%s'", rootless.get(index)).isNotEmpty();
        }
    }

    /** A minimal fixture may hold nothing a rule applies to; that rule then fails as empty, which is no bite. */
    private static boolean bites(ArchRule rule, String fixtureCase) {
        try {
            return rule.evaluate(fixture(fixtureCase)).hasViolation();
        } catch (AssertionError emptyShould) {
            return false;
        }
    }

    @Test
    void given_use_cases_answering_void_when_checking_in_ports_then_both_are_reported_and_disconnect_is_not() {
        assertBites(ParleyRules::inPortsAnswerWithOutcomes, FixtureCases.IN_PORT_VOID,
                dev.parley.architecture.fixtures.inportvoid.application.port.in.JoinRoomUseCase.class,
                dev.parley.architecture.fixtures.inportvoid.application.port.in.LeaveRoomUseCase.class);
    }

    @Test
    void given_an_out_port_only_an_adapter_calls_when_checking_out_ports_then_it_is_reported() {
        assertBites(ParleyRules::outPortsAreUsedByUseCases, FixtureCases.UNUSED_OUT_PORT,
                dev.parley.architecture.fixtures.unusedoutport.application.port.out.RateLimiter.class);
    }

    /**
     * Runs the rule built for the fixture's root on the fixture: it must fail, each line of the report
     * must name one of the offenders, and each offender must be named.
     */
    private static void assertBites(Function<String, ArchRule> ruleForRoot, String fixtureCase, Class<?>... offenders) {
        ArchRule rule = ruleForRoot.apply(fixtureRoot(fixtureCase));
        EvaluationResult result = rule.evaluate(fixture(fixtureCase));
        List<String> names = Arrays.stream(offenders).map(Class::getName).collect(Collectors.toList());

        assertThat(result.hasViolation())
                .as("'%s' on fixture %s should report a violation", rule.getDescription(), fixtureCase)
                .isTrue();
        List<String> details = result.getFailureReport().getDetails();
        assertThat(details)
                .as("every violation names a planted offender %s", names)
                .isNotEmpty()
                .allSatisfy(detail -> assertThat(detail).containsAnyOf(names.toArray(new String[0])));
        assertThat(names).allSatisfy(name -> assertThat(details).anySatisfy(detail -> assertThat(detail).contains(name)));
    }
}
