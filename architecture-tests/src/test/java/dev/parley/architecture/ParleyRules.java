package dev.parley.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.Architectures.onionArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaParameterizedType;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.List;
import java.util.Set;

/**
 * Parley's architecture rules, each a function of the root package so that the same rule runs on
 * the production code ({@code dev.parley}) and on the deliberately broken fixtures under
 * {@code dev.parley.architecture.fixtures.<case>}, which prove that it bites.
 *
 * <p>Every rule names packages relative to the root; {@link #NAMED_PACKAGES} lists them all, and
 * the tests check that each of them exists in whatever the rules are run on. A rule that names a
 * package which does not exist checks nothing.
 */
public final class ParleyRules {

    public static final String DOMAIN = "domain";
    public static final String APPLICATION = "application";
    public static final String PORT_IN = "application.port.in";
    public static final String PORT_OUT = "application.port.out";
    public static final String SERVICE = "application.service";
    public static final String ADAPTERS = "adapters";
    public static final String MEMORY = "adapters.memory";
    public static final String WEBSOCKET = "adapters.websocket";
    public static final String PUSHER = "adapters.pusher";
    public static final String REDIS = "adapters.redis";
    public static final String POSTGRES = "adapters.postgres";
    public static final String BOOTSTRAP = "bootstrap";
    public static final String CLIENT = "client";
    public static final String BENCHMARKS = "benchmarks";

    /** Every package, relative to the root, that some rule below names. */
    public static final List<String> NAMED_PACKAGES = List.of(
            DOMAIN, APPLICATION, PORT_IN, PORT_OUT, SERVICE, ADAPTERS, MEMORY, WEBSOCKET, PUSHER, REDIS, POSTGRES,
            BOOTSTRAP, CLIENT, BENCHMARKS);

    static final String[] INJECTION_FRAMEWORKS = {"com.google.inject..", "jakarta.inject..", "javax.inject.."};
    static final Set<String> INJECT_ANNOTATIONS =
            Set.of("com.google.inject.Inject", "jakarta.inject.Inject", "javax.inject.Inject");
    private static final DescribedPredicate<JavaAnnotation<?>> INJECT_ANNOTATION = DescribedPredicate.describe(
            "@Inject of Guice, jakarta.inject or javax.inject",
            annotation -> INJECT_ANNOTATIONS.contains(annotation.getRawType().getName()));

    private ParleyRules() {
    }

    /** {@code root.sub..}: the package and everything below it. */
    static String tree(String root, String sub) {
        return root + "." + sub + "..";
    }

    /** Rule 1: the domain depends on {@code java.*} and itself only. */
    public static ArchRule domainOnlyUsesJava(String root) {
        return classes().that().resideInAPackage(tree(root, DOMAIN))
                .should().onlyDependOnClassesThat().resideInAnyPackage(tree(root, DOMAIN), "java..")
                .because("the domain is pure Java: no framework, no annotation, nothing from outer layers")
                .allowEmptyShould(false);
    }

    /** Rule 2: the application depends on the domain, {@code java.*} and itself only. */
    public static ArchRule applicationOnlyUsesDomainAndJava(String root) {
        return classes().that().resideInAPackage(tree(root, APPLICATION))
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage(tree(root, APPLICATION), tree(root, DOMAIN), "java..")
                .because("use cases and ports depend on the domain and java.* only; adapters plug in from outside")
                .allowEmptyShould(false);
    }

    /** Rule 3, first half: one slice per subpackage of {@code adapters}, so a new adapter module is covered too. */
    public static ArchRule adaptersDoNotDependOnEachOther(String root) {
        return slices().matching(root + "." + ADAPTERS + ".(*)..")
                .namingSlices("adapter $1")
                .should().notDependOnEachOther()
                .because("an adapter depends on the application and the domain, never on another adapter")
                .allowEmptyShould(false);
    }

    /** Rule 3, second half: domain, application and adapters never depend on bootstrap (for the domain, rule 1 says so too). */
    public static ArchRule onlyBootstrapKnowsBootstrap(String root) {
        return noClasses().that().resideInAnyPackage(tree(root, DOMAIN), tree(root, APPLICATION), tree(root, ADAPTERS))
                .should().dependOnClassesThat().resideInAPackage(tree(root, BOOTSTRAP))
                .because("bootstrap wires everything together; nothing it wires may know it")
                .allowEmptyShould(false);
    }

    /** Rule 4: Guice and the inject APIs ({@code jakarta.inject}, and the older {@code javax.inject}) are used in bootstrap only. */
    public static ArchRule injectionFrameworksOnlyInBootstrap(String root) {
        return noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackage(tree(root, BOOTSTRAP))
                .should().dependOnClassesThat().resideInAnyPackage(INJECTION_FRAMEWORKS)
                .because("only bootstrap knows Guice; everything else takes constructor parameters")
                .allowEmptyShould(false);
    }

    /** Rule 5: one slice per package, the finest granularity. */
    public static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)")
                .should().beFreeOfCycles()
                .allowEmptyShould(false);
    }

    /** Rule 6, out-ports. Records, enums and exceptions are what ports exchange; the ports themselves are interfaces. */
    public static ArchRule outPortsAreInterfaces(String root) {
        return classes().that().resideInAPackage(tree(root, PORT_OUT))
                .and().areTopLevelClasses()
                .and().doNotHaveSimpleName("package-info")
                .and().areNotRecords()
                .and().areNotEnums()
                .and().areNotAssignableTo(Throwable.class)
                .should().beInterfaces()
                .because("an out-port is a capability the application owns and an adapter implements")
                .allowEmptyShould(false);
    }

    /** Rule 6, in-ports. */
    public static ArchRule inPortsAreInterfaces(String root) {
        return classes().that().resideInAPackage(tree(root, PORT_IN))
                .and().haveSimpleNameEndingWith("UseCase")
                .should().beInterfaces()
                .because("a use case is an interface that a service implements and an adapter calls")
                .allowEmptyShould(false);
    }

    /** Rule 7 (bootstrap included: Guice there works through {@code @Provides} methods and constructors). */
    public static ArchRule noFieldInjection(String root) {
        return noFields().that().areDeclaredInClassesThat().resideInAPackage(root + "..")
                .should().beAnnotatedWith(INJECT_ANNOTATION)
                .because("dependencies arrive through constructors, so every class can be built by hand in a test")
                .allowEmptyShould(false);
    }

    /**
     * Rule 8. Domain services are the ports (what the use cases need and offer), application services
     * the root package of {@code application} and its {@code service} package. Every layer must be
     * non-empty ({@code withOptionalLayers(false)}, the default), so a misspelt package fails here.
     * Bootstrap, the Java client and the benchmarks sit outside the onion (their dependencies are
     * ignored here and held by rules 3, 4, 9 and 10); any other package under the root that is in
     * no layer is a violation.
     */
    public static ArchRule onion(String root) {
        String[] outside = {tree(root, BOOTSTRAP), tree(root, CLIENT), tree(root, BENCHMARKS)};
        return onionArchitecture()
                .domainModels(tree(root, DOMAIN))
                .domainServices(tree(root, "application.port"))
                .applicationServices(root + "." + APPLICATION, tree(root, SERVICE))
                .adapter("memory", tree(root, MEMORY))
                .adapter("websocket", tree(root, WEBSOCKET))
                .adapter("pusher", tree(root, PUSHER))
                .adapter("redis", tree(root, REDIS))
                .adapter("postgres", tree(root, POSTGRES))
                .withOptionalLayers(false)
                // Outside the onion means the onion says nothing about them, in either direction: a
                // layer may only be accessed by layers, so without this bootstrap wiring the
                // services would be a violation. What they may use is held by the other rules.
                .ignoreDependency(resideInAnyPackage(outside), DescribedPredicate.alwaysTrue())
                .ensureAllClassesAreContainedInArchitectureIgnoring(outside);
    }

    /** Rule 9: {@code System.out}, {@code System.err} and {@code printStackTrace()}. */
    public static ArchRule noStandardStreamsOutsideBootstrapAndBenchmarks(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .and().resideOutsideOfPackages(tree(root, BOOTSTRAP), tree(root, BENCHMARKS))
                .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                .because("the server logs; only main() and the benchmarks print")
                .allowEmptyShould(false);
    }

    /** Rule 10: the Java client depends on its own package, the domain, {@code java.*} and Jackson only. */
    public static ArchRule clientUsesOnlyDomainJavaAndJackson(String root) {
        return classes().that().resideInAPackage(tree(root, CLIENT))
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage(tree(root, CLIENT), tree(root, DOMAIN), "java..", "com.fasterxml.jackson..")
                .because("the Java client is a product of its own: it embeds the pure domain, nothing of the server")
                .allowEmptyShould(false);
    }

    /** Rule 10, the other direction: the onion ignores the client, so this is the only thing keeping the server off it. */
    public static ArchRule serverDoesNotDependOnClient(String root) {
        return noClasses().that().resideInAnyPackage(
                        tree(root, DOMAIN), tree(root, APPLICATION), tree(root, ADAPTERS), tree(root, BOOTSTRAP))
                .should().dependOnClassesThat().resideInAPackage(tree(root, CLIENT))
                .because("the server and the client share the domain, not each other")
                .allowEmptyShould(false);
    }

    /**
     * Rule 11: a use case answers with its outcome, for the driving adapter that called it to put
     * on its own wire; none returns {@code void} or a future of {@code Void}, which would mean the
     * answer leaves through a side door. A disconnect has nobody left to answer.
     */
    public static ArchRule inPortsAnswerWithOutcomes(String root) {
        return methods().that().areDeclaredInClassesThat().resideInAPackage(tree(root, PORT_IN))
                .and().areDeclaredInClassesThat().haveSimpleNameEndingWith("UseCase")
                .and().areDeclaredInClassesThat().doNotHaveSimpleName("DisconnectUseCase")
                .should(new ArchCondition<JavaMethod>("return an outcome") {
                    @Override
                    public void check(JavaMethod method, ConditionEvents events) {
                        if (answersNothing(method.getReturnType())) {
                            events.add(SimpleConditionEvent.violated(method, method.getFullName()
                                    + " returns " + method.getReturnType().getName() + ", no outcome"));
                        }
                    }
                })
                .because("the core answers and the front doors speak: each adapter maps outcomes to its own wire")
                .allowEmptyShould(false);
    }

    private static boolean answersNothing(JavaType returned) {
        if (returned.toErasure().isEquivalentTo(void.class)) {
            return true;
        }
        return returned instanceof JavaParameterizedType future
                && future.toErasure().isAssignableTo(java.util.concurrent.CompletionStage.class)
                && future.getActualTypeArguments().stream().anyMatch(type -> type.toErasure().isEquivalentTo(Void.class));
    }

    /**
     * Rule 12: every out-port is something a use case needs. A port no service calls is an adapter
     * talking to another adapter through the application (as a rate limiter once did).
     */
    public static ArchRule outPortsAreUsedByUseCases(String root) {
        return classes().that().resideInAPackage(tree(root, PORT_OUT)).and().areInterfaces().and().areTopLevelClasses()
                .and().doNotHaveSimpleName("package-info")
                .should(new ArchCondition<JavaClass>("be used by an application service") {
                    @Override
                    public void check(JavaClass port, ConditionEvents events) {
                        boolean used = port.getDirectDependenciesToSelf().stream()
                                .anyMatch(dependency -> dependency.getOriginClass().getPackageName()
                                        .startsWith(root + "." + SERVICE));
                        if (!used) {
                            events.add(SimpleConditionEvent.violated(port,
                                    port.getName() + " is used by no class of " + root + "." + SERVICE));
                        }
                    }
                })
                .because("out-ports are what the use cases need; what only an adapter needs belongs to the adapter")
                .allowEmptyShould(false);
    }

    /** Every rule above, for a given root. */
    public static List<ArchRule> all(String root) {
        return List.of(
                domainOnlyUsesJava(root),
                applicationOnlyUsesDomainAndJava(root),
                adaptersDoNotDependOnEachOther(root),
                onlyBootstrapKnowsBootstrap(root),
                injectionFrameworksOnlyInBootstrap(root),
                noPackageCycles(root),
                outPortsAreInterfaces(root),
                inPortsAreInterfaces(root),
                noFieldInjection(root),
                onion(root),
                noStandardStreamsOutsideBootstrapAndBenchmarks(root),
                clientUsesOnlyDomainJavaAndJackson(root),
                serverDoesNotDependOnClient(root),
                inPortsAnswerWithOutcomes(root),
                outPortsAreUsedByUseCases(root));
    }
}
