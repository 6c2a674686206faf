package dev.parley.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository explains itself: its documents link only to files inside it, and its sources
 * cite its own documents, {@code docs/protocol.md} and {@code docs/architecture.md}, not papers
 * that only exist beside the repository.
 *
 * <p>Links are read from every Markdown file outside {@code target}, {@code node_modules} and
 * hidden folders: {@code [text](target)}, {@code ![alt](target)}, and the {@code src} and
 * {@code href} of HTML tags, with fenced code blocks and code spans left out. A target with a
 * scheme ({@code https:}, {@code mailto:}) is not checked; any other must name an existing file
 * whose normalised path stays inside the repository root; its {@code #anchor}, when it points
 * into a Markdown file, must name one of that file's headings (as GitHub derives the anchor).
 */
class DocumentationLinksTest {

    private static final Set<String> EXTERNAL_SCHEMES = Set.of("http", "https", "mailto");
    private static final Set<String> SKIPPED_FOLDERS = Set.of("target", "node_modules");
    private static final Set<String> SOURCE_EXTENSIONS = Set.of("java", "js", "mjs", "ts", "html");

    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~)");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\1).)+?\\1");
    private static final Pattern MARKDOWN_LINK =
            Pattern.compile("\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+(?:\"[^\"]*\"|'[^']*'))?\\s*\\)");
    private static final Pattern HTML_LINK =
            Pattern.compile("<(?:a|img|source)\\b[^>]*?\\s(?:href|src)\\s*=\\s*[\"']([^\"']*)[\"']",
                    Pattern.CASE_INSENSITIVE);
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    /**
     * A citation of a design document by file name. What the sources may cite are the
     * repository's own two, spelt {@code docs/protocol.md} and {@code docs/architecture.md};
     * those are taken out of a line before it is searched with this.
     */
    private static final Pattern DOCUMENT_CITATION =
            Pattern.compile("(?:protocol|architecture|protocol-notes)\\.md", Pattern.CASE_INSENSITIVE);
    private static final List<String> OWN_DOCUMENTS = List.of("docs/protocol.md", "docs/architecture.md");

    @Test
    void given_the_repositorys_markdown_when_following_each_relative_link_then_it_names_a_file_inside_the_repository() {
        Path root = RepositoryFiles.root();
        List<Path> documents = markdownFiles(root);

        assertThat(documents).as("Markdown files under %s", root)
                .contains(root.resolve("README.md"), root.resolve("docs/protocol.md"),
                        root.resolve("docs/architecture.md"));
        assertThat(documents.stream().mapToLong(document -> links(document).size()).sum())
                .as("links found (none would mean the extraction is broken)")
                .isGreaterThan(20);
        assertThat(brokenLinks(root)).as("links that leave the repository or name no file").isEmpty();
    }

    @Test
    void given_the_repositorys_markdown_when_following_each_link_to_a_heading_then_the_heading_exists() {
        assertThat(brokenAnchors(RepositoryFiles.root())).as("links to headings that do not exist").isEmpty();
    }

    @Test
    void given_java_js_and_html_sources_when_they_cite_a_design_document_then_it_is_the_repositorys_own() {
        Path root = RepositoryFiles.root();

        assertThat(sourceFiles(root)).as("sources found under %s", root).hasSizeGreaterThan(100);
        assertThat(foreignCitations(root))
                .as("source lines citing a design document other than %s", OWN_DOCUMENTS)
                .isEmpty();
    }

    @Test
    void given_links_that_leave_the_repository_or_name_no_file_when_checked_then_each_is_reported(
            @TempDir Path outside) throws IOException {
        Path root = Files.createDirectories(outside.resolve("repo"));
        Files.writeString(outside.resolve("beside.md"), "# Beside\n");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/guide.md"), String.join("\n",
                "# Guide",
                "## Step one",
                "Fine: [readme](../README.md), [step](#step-one), [site](https://example.com/x.md).",
                "Leaves: [beside](../../beside.md). Missing: [gone](missing.md).",
                "Absolute: [abs](/docs/guide.md). Bad anchor: [nowhere](../README.md#nowhere).",
                "<img src=\"shot.png\" alt=\"missing image\">",
                "```",
                "[in a code block](not-checked.md)",
                "```",
                "`[in a code span](not-checked-either.md)`",
                ""));
        Files.writeString(root.resolve("README.md"), "# Readme\n![logo](docs/logo.png) [guide](docs/guide.md#step-one)\n");
        Files.write(root.resolve("docs/logo.png"), new byte[] {1});

        assertThat(brokenLinks(root)).hasSize(4).allSatisfy(problem -> assertThat(problem).contains("docs/guide.md"))
                .anySatisfy(problem -> assertThat(problem).endsWith(": ../../beside.md (leaves the repository)"))
                .anySatisfy(problem -> assertThat(problem).endsWith(": missing.md (no such file)"))
                .anySatisfy(problem -> assertThat(problem).contains(": /docs/guide.md (absolute"))
                .anySatisfy(problem -> assertThat(problem).endsWith(": shot.png (no such file)"));
        assertThat(brokenAnchors(root)).singleElement().asString().contains("../README.md#nowhere");
    }

    @Test
    void given_sources_citing_design_documents_when_checked_then_only_the_repositorys_own_pass(@TempDir Path root)
            throws IOException {
        Path main = Files.createDirectories(root.resolve("server/src/main/java/x"));
        Path clientJs = Files.createDirectories(root.resolve("client-js"));
        Files.createDirectories(root.resolve("client-js/node_modules/lib"));
        // Spelt in two pieces, so that a rewrite of the real citations leaves these alone.
        String shared = "PROTOCOL" + ".md";
        Files.writeString(main.resolve("A.java"), String.join("\n",
                "/** As " + shared + " section 7 says. */",
                "/** As docs/protocol.md section 7 and docs/architecture.md say. */",
                "/** See ARCHITECTURE" + ".md and ../shared/protocol" + ".md. */",
                ""));
        Files.writeString(clientJs.resolve("client.js"), "// see protocol-notes" + ".md\n");
        Files.writeString(root.resolve("client-js/node_modules/lib/index.js"), "// " + shared + "\n");

        assertThat(foreignCitations(root)).hasSize(3)
                .anySatisfy(line -> assertThat(line).startsWith("server/src/main/java/x/A.java:1:"))
                .anySatisfy(line -> assertThat(line).startsWith("server/src/main/java/x/A.java:3:"))
                .anySatisfy(line -> assertThat(line).startsWith("client-js/client.js:1:"));
    }

    // ---- the repository ------------------------------------------------------------------------

    /** The parent of this module's directory (surefire runs in the module and sets {@code basedir}). */
    private static List<Path> markdownFiles(Path root) {
        return RepositoryFiles.files(root, path -> path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".md"));
    }

    /** Java, JavaScript, TypeScript declarations and HTML in every module's {@code src/main} and {@code src/test}, and in {@code client-js}. */
    private static List<Path> sourceFiles(Path root) {
        return RepositoryFiles.files(root, path -> {
            String name = path.getFileName().toString();
            int dot = name.lastIndexOf('.');
            if (dot < 0 || !SOURCE_EXTENSIONS.contains(name.substring(dot + 1))) {
                return false;
            }
            String relative = root.relativize(path).toString().replace('\\', '/');
            return relative.startsWith("client-js/") || relative.contains("/src/main/")
                    || relative.contains("/src/test/");
        });
    }

    // ---- links -------------------------------------------------------------------------------

    /** One link of a document: its target as written, and the line it is on. */
    private record Link(Path document, int line, String target) {
        String where(Path root) {
            return root.relativize(document).toString().replace('\\', '/') + ":" + line + ": " + target;
        }
    }

    /** The lines of a Markdown file as prose: fenced code blocks blanked, code spans removed. */
    private static List<String> prose(Path document) {
        List<String> prose = new ArrayList<>();
        boolean inFence = false;
        for (String line : RepositoryFiles.lines(document)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                prose.add("");
            } else {
                prose.add(inFence ? "" : CODE_SPAN.matcher(line).replaceAll(""));
            }
        }
        return prose;
    }

    private static List<Link> links(Path document) {
        List<Link> links = new ArrayList<>();
        List<String> prose = prose(document);
        for (int i = 0; i < prose.size(); i++) {
            for (Pattern pattern : List.of(MARKDOWN_LINK, HTML_LINK)) {
                Matcher matcher = pattern.matcher(prose.get(i));
                while (matcher.find()) {
                    links.add(new Link(document, i + 1, matcher.group(1)));
                }
            }
        }
        return links;
    }

    private static boolean isExternal(String target) {
        Matcher scheme = SCHEME.matcher(target);
        return scheme.find() && EXTERNAL_SCHEMES.contains(
                scheme.group().substring(0, scheme.group().length() - 1).toLowerCase(Locale.ROOT));
    }

    /** Every relative link whose file is missing or outside the root, as {@code file:line: target (why)}. */
    private static List<String> brokenLinks(Path root) {
        List<String> problems = new ArrayList<>();
        for (Path document : markdownFiles(root)) {
            for (Link link : links(document)) {
                if (isExternal(link.target()) || link.target().startsWith("#")) {
                    continue;
                }
                String why = problem(root, link);
                if (why != null) {
                    problems.add(link.where(root) + " (" + why + ")");
                }
            }
        }
        return problems;
    }

    private static String problem(Path root, Link link) {
        if (link.target().isEmpty()) {
            return "empty target";
        }
        if (SCHEME.matcher(link.target()).find()) {
            return "only http, https and mailto links may leave the repository";
        }
        String path;
        try {
            path = new URI(link.target()).getPath();
        } catch (URISyntaxException e) {
            return "not a valid relative URL";
        }
        if (path.startsWith("/")) {
            return "absolute; write it relative to the document";
        }
        Path file = link.document().getParent().resolve(path).normalize();
        if (!file.startsWith(root)) {
            return "leaves the repository";
        }
        if (!Files.exists(file)) {
            return "no such file";
        }
        try {
            if (!file.toRealPath().startsWith(root.toRealPath())) {
                return "leaves the repository through a link";
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return null;
    }

    // ---- anchors -----------------------------------------------------------------------------

    /** Every link to a heading of a Markdown file in the repository that the file does not have. */
    private static List<String> brokenAnchors(Path root) {
        Map<Path, Set<String>> anchorsByFile = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path document : markdownFiles(root)) {
            for (Link link : links(document)) {
                if (isExternal(link.target()) || !link.target().contains("#")) {
                    continue;
                }
                int hash = link.target().indexOf('#');
                String path = link.target().substring(0, hash);
                Path file = path.isEmpty() ? document : document.getParent().resolve(path).normalize();
                if (!file.toString().toLowerCase(Locale.ROOT).endsWith(".md") || !file.startsWith(root)
                        || !Files.isRegularFile(file)) {
                    continue; // not a heading of a document here; the link check reports the rest
                }
                String anchor = decode(link.target().substring(hash + 1));
                if (!anchorsByFile.computeIfAbsent(file, DocumentationLinksTest::anchors).contains(anchor)) {
                    problems.add(link.where(root) + " (no heading with this anchor)");
                }
            }
        }
        return problems;
    }

    private static String decode(String fragment) {
        try {
            return URLDecoder.decode(fragment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return fragment;
        }
    }

    /** The anchors GitHub gives a document's headings: slugs, numbered when they repeat. */
    private static Set<String> anchors(Path document) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : proseKeepingCode(document)) {
            Matcher heading = HEADING.matcher(line);
            if (!heading.matches()) {
                continue;
            }
            String slug = slug(heading.group(1));
            int count = seen.merge(slug, 1, Integer::sum);
            anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
        return anchors;
    }

    /** Lines outside fenced code blocks, code spans kept (a heading's code span is part of its anchor). */
    private static List<String> proseKeepingCode(Path document) {
        List<String> prose = new ArrayList<>();
        boolean inFence = false;
        for (String line : RepositoryFiles.lines(document)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
            } else if (!inFence) {
                prose.add(line);
            }
        }
        return prose;
    }

    /**
     * GitHub's heading anchor: the text lower-cased, links reduced to their text, every character
     * but letters, digits, marks, {@code -}, {@code _} and spaces dropped, spaces made hyphens.
     */
    static String slug(String headingText) {
        String text = headingText.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        StringBuilder slug = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            int type = Character.getType(c);
            if (c == ' ') {
                slug.append('-');
            } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || type == Character.NON_SPACING_MARK
                    || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK) {
                slug.appendCodePoint(c);
            }
        });
        return slug.toString();
    }

    // ---- citations in sources ----------------------------------------------------------------

    /** Source lines citing a design document other than the repository's own, as {@code file:line: text}. */
    private static List<String> foreignCitations(Path root) {
        List<String> citations = new ArrayList<>();
        for (Path source : sourceFiles(root)) {
            List<String> lines = RepositoryFiles.lines(source);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String rest = line;
                for (String own : OWN_DOCUMENTS) {
                    rest = rest.replace(own, "");
                }
                if (DOCUMENT_CITATION.matcher(rest).find()) {
                    citations.add(root.relativize(source).toString().replace('\\', '/') + ":" + (i + 1) + ": "
                            + line.trim());
                }
            }
        }
        return citations;
    }
}
