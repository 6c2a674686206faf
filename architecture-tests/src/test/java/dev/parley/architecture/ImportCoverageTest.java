package dev.parley.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static dev.parley.architecture.ParleyClasses.PRODUCTION;
import static dev.parley.architecture.ParleyClasses.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules must not pass because they look at nothing: every package they name has classes in the
 * import, and every production source file of every module was imported. (Maven's compiler plugin
 * emits a {@code package-info.class} for every {@code package-info.java}, which is what a module
 * holding only its package-info contributes until it is filled.)
 */
class ImportCoverageTest {

    @Test
    void given_the_production_import_when_looking_up_every_package_a_rule_names_then_each_has_classes() {
        assertThat(ParleyRules.NAMED_PACKAGES)
                .allSatisfy(name -> assertThat(classesIn(PRODUCTION, ROOT + "." + name))
                        .as("classes imported in %s.%s..", ROOT, name)
                        .isNotEmpty());
    }

    @Test
    void given_the_clean_fixture_when_looking_up_every_package_a_rule_names_then_each_has_classes() {
        String root = ParleyClasses.fixtureRoot("clean");
        JavaClasses clean = ParleyClasses.fixture("clean");
        assertThat(ParleyRules.NAMED_PACKAGES)
                .allSatisfy(name -> assertThat(classesIn(clean, root + "." + name))
                        .as("classes imported in %s.%s..", root, name)
                        .isNotEmpty());
    }

    @Test
    void given_every_module_source_file_when_looking_it_up_in_the_import_then_it_was_imported() throws IOException {
        List<String> sourceTypes = productionSourceTypes(repositoryRoot());

        assertThat(sourceTypes).as("production sources found under %s", repositoryRoot()).isNotEmpty();
        assertThat(sourceTypes)
                .as("types declared in */src/main/java but missing from the import"
                        + " (is the module a test dependency of architecture-tests?)")
                .allSatisfy(type -> assertThat(PRODUCTION.contain(type)).as(type).isTrue());
    }

    @Test
    void given_the_production_import_when_looking_for_this_module_then_none_of_it_is_there() {
        assertThat(classesIn(PRODUCTION, "dev.parley.architecture")).isEmpty();
        assertThat(classesIn(PRODUCTION, ROOT)).isNotEmpty();
    }

    private static List<String> classesIn(JavaClasses classes, String packageName) {
        return classes.that(resideInAPackage(packageName + "..")).stream()
                .map(c -> c.getName())
                .collect(Collectors.toList());
    }

    private static Path repositoryRoot() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        Path root = module.getParent();
        assertThat(module.resolve("pom.xml")).as("architecture-tests module directory").exists();
        assertThat(root.resolve("pom.xml")).as("parent pom beside the modules").exists();
        return root;
    }

    /** The type each {@code .java} file under a module's {@code src/main/java} is named after (test-support aside). */
    private static List<String> productionSourceTypes(Path repositoryRoot) throws IOException {
        List<Path> sourceRoots;
        try (Stream<Path> modules = Files.list(repositoryRoot)) {
            sourceRoots = modules
                    .filter(m -> !m.getFileName().toString().equals(ParleyClasses.TEST_SUPPORT_MODULE))
                    .map(m -> m.resolve("src/main/java")).filter(Files::isDirectory)
                    .collect(Collectors.toList());
        }
        return sourceRoots.stream()
                .flatMap(sourceRoot -> javaFiles(sourceRoot).stream()
                        .map(file -> sourceRoot.relativize(file).toString()))
                .filter(relative -> !relative.endsWith("module-info.java"))
                .map(relative -> relative.substring(0, relative.length() - ".java".length())
                        .replace(java.io.File.separatorChar, '.'))
                .sorted()
                .collect(Collectors.toList());
    }

    private static List<Path> javaFiles(Path sourceRoot) {
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            return files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
