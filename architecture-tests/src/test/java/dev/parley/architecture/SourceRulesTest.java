package dev.parley.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules read off the source text, where bytecode says too little: no main class grows past 600
 * lines, the application speaks no wire, and every test is named given_..._when_..._then_....
 * Each runs on the repository and, to show that it bites, on a small tree that breaks it.
 */
class SourceRulesTest {
    static final int MAX_LINES = 600;

    /**
     * What belongs to a wire, not to the core: reply ids, wire names of codes, the wire error
     * codes themselves, and citations of the wire protocol.
     */
    private static final Pattern WIRE_WORD = Pattern.compile(
            "replyTo|wireName|(?:docs/protocol|PROTOCOL)\\.md|\\b(?:bad_request|unknown_type|too_large|not_member|room_full"
                    + "|too_many_rooms|rate_limited)\\b");
    private static final Pattern TEST_ANNOTATION =
            Pattern.compile("^\\s*@(?:Test|ParameterizedTest|TestFactory|RepeatedTest)\\b");
    private static final Pattern METHOD = Pattern.compile(
            "^\\s*(?:(?:public|protected|private|static|final)\\s+)*[\\w<>\\[\\]?, ]+\\s+(\\w+)\\s*\\(");
    private static final Pattern TEST_NAME = Pattern.compile(
            "given(?:_[a-z0-9]+)+_when(?:_[a-z0-9]+)+_then(?:_[a-z0-9]+)+");

    static List<String> longMainClasses(Path root) {
        List<String> found = new ArrayList<>();
        for (Path file : RepositoryFiles.files(root, path -> isJava(path) && relative(root, path).contains("/src/main/java/"))) {
            int lines = RepositoryFiles.lines(file).size();
            if (lines > MAX_LINES) {
                found.add(relative(root, file) + " (" + lines + " lines)");
            }
        }
        return found;
    }

    static List<String> wireWordsInTheApplication(Path root) {
        List<String> found = new ArrayList<>();
        Path application = root.resolve("application/src/main/java");
        for (Path file : RepositoryFiles.files(application, SourceRulesTest::isJava)) {
            List<String> lines = RepositoryFiles.lines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher word = WIRE_WORD.matcher(lines.get(i));
                if (word.find()) {
                    found.add(relative(root, file) + ":" + (i + 1) + ": " + word.group());
                }
            }
        }
        return found;
    }

    static List<String> testsNamedOtherwise(Path root) {
        List<String> found = new ArrayList<>();
        for (Path file : RepositoryFiles.files(root, path -> isJava(path) && relative(root, path).contains("/src/test/java/"))) {
            List<String> lines = RepositoryFiles.lines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (!TEST_ANNOTATION.matcher(lines.get(i)).find()) {
                    continue;
                }
                for (int j = i + 1; j < lines.size(); j++) {
                    if (lines.get(j).trim().startsWith("@")) {
                        continue;
                    }
                    Matcher method = METHOD.matcher(lines.get(j));
                    if (method.find() && !TEST_NAME.matcher(method.group(1)).matches()) {
                        found.add(relative(root, file) + ":" + (j + 1) + ": " + method.group(1));
                    }
                    break;
                }
            }
        }
        return found;
    }

    private static boolean isJava(Path path) {
        return path.getFileName().toString().endsWith(".java");
    }

    private static String relative(Path root, Path file) {
        return "/" + root.relativize(file).toString().replace('\\', '/');
    }

    // ---- on the repository ------------------------------------------------------------------

    @Test
    void given_the_main_sources_of_every_module_when_counting_lines_then_no_class_has_more_than_600() {
        assertThat(longMainClasses(RepositoryFiles.root())).as("main classes over %d lines", MAX_LINES).isEmpty();
    }

    @Test
    void given_the_application_sources_when_searched_for_wire_words_then_there_are_none() {
        Path root = RepositoryFiles.root();
        assertThat(RepositoryFiles.files(root.resolve("application/src/main/java"), SourceRulesTest::isJava))
                .as("application sources").hasSizeGreaterThan(20);
        assertThat(wireWordsInTheApplication(root)).as("wire words in the application").isEmpty();
    }

    @Test
    void given_every_test_method_when_reading_its_name_then_it_reads_given_when_then_in_snake_case() {
        assertThat(testsNamedOtherwise(RepositoryFiles.root())).as("tests named otherwise").isEmpty();
    }

    // ---- each rule bites --------------------------------------------------------------------

    @Test
    void given_a_main_class_of_601_lines_when_counting_then_it_is_reported_and_one_of_600_is_not(@TempDir Path root)
            throws IOException {
        write(root.resolve("mod/src/main/java/Big.java"), "//\n".repeat(601));
        write(root.resolve("mod/src/main/java/Fine.java"), "//\n".repeat(600));
        write(root.resolve("mod/src/test/java/BigTest.java"), "//\n".repeat(900));

        assertThat(longMainClasses(root)).containsExactly("/mod/src/main/java/Big.java (601 lines)");
    }

    @Test
    void given_an_application_class_with_wire_words_when_searched_then_each_line_is_reported(@TempDir Path root)
            throws IOException {
        write(root.resolve("application/src/main/java/Replies.java"), String.join("\n",
                "/** Answers as docs/protocol.md section 3 says. */",
                "record Ack(String replyTo) {}",
                "// answered not_member",
                "// a frame with a reply is fine in plain words"));

        assertThat(wireWordsInTheApplication(root)).containsExactly(
                "/application/src/main/java/Replies.java:1: docs/protocol.md",
                "/application/src/main/java/Replies.java:2: replyTo",
                "/application/src/main/java/Replies.java:3: not_member");
    }

    @Test
    void given_tests_named_in_other_styles_when_read_then_each_is_reported(@TempDir Path root) throws IOException {
        write(root.resolve("mod/src/test/java/StylesTest.java"), String.join("\n",
                "class StylesTest {",
                "    @Test",
                "    void given_a_room_when_joined_then_it_answers() {}",
                "    @ParameterizedTest(name = \"{0}\")",
                "    @ValueSource(ints = {1, 2})",
                "    void givenCamelCase_whenRead_thenRefused(int n) {}",
                "    @TestFactory",
                "    Stream<DynamicTest> dynamicTests() {}",
                "    @Test",
                "    void given_Upper_when_x_then_y() {}",
                "}"));

        assertThat(testsNamedOtherwise(root)).containsExactly(
                "/mod/src/test/java/StylesTest.java:6: givenCamelCase_whenRead_thenRefused",
                "/mod/src/test/java/StylesTest.java:8: dynamicTests",
                "/mod/src/test/java/StylesTest.java:10: given_Upper_when_x_then_y");
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
