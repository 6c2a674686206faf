package dev.parley.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The class sets the rules run on, imported once per JVM. */
final class ParleyClasses {

    static final String ROOT = "dev.parley";
    static final String FIXTURES = "dev.parley.architecture.fixtures";

    /**
     * The test-support module is test code kept in {@code src/main/java} so that other modules'
     * tests can depend on it (with test scope; it is on no production classpath): like test
     * classes, it is left out of the import and of the source coverage check.
     */
    static final String TEST_SUPPORT_MODULE = "test-support";
    private static final String TEST_SUPPORT_CLASSES = "/dev/parley/testsupport/";

    /**
     * Production classes of every module: no test classes, nothing of test-support, and nothing of
     * this module (whose fixtures break the rules on purpose). In the reactor, sibling modules
     * arrive as jars or class folders.
     */
    static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("/dev/parley/architecture/"))
            .withImportOption(location -> !location.contains(TEST_SUPPORT_CLASSES))
            .importPackages(ROOT);

    private ParleyClasses() {
    }

    private static final Map<String, JavaClasses> FIXTURE_CACHE = new ConcurrentHashMap<>();

    /** A fixture tree: test classes, imported as they are (so without {@code DoNotIncludeTests}). */
    static JavaClasses fixture(String fixtureCase) {
        return FIXTURE_CACHE.computeIfAbsent(fixtureCase,
                c -> new ClassFileImporter().importPackages(fixtureRoot(c)));
    }

    static String fixtureRoot(String fixtureCase) {
        return FIXTURES + "." + fixtureCase;
    }
}
