package io.futexra.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of the documentation compiles as shown, against the artifacts an
 * application uses and the libraries the snippets import (this module's test class path): a block
 * is a complete compilation unit, imports included. Blocks of one page that declare the same
 * package are compiled together (a war's classes that use each other); every other block alone.
 */
class JavaBlocksTest {

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public\\s+(?:final\\s+|abstract\\s+)*(?:class|interface|record|enum|@interface)\\s+(\\w+)");

    @Test
    void shouldCompileEveryJavaBlockOfTheDocumentation(@TempDir Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> failures = new ArrayList<>();
        int blocks = 0;
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, null)) {
            for (Path page : Markdown.pages()) {
                for (List<Markdown.Block> unit : units(page)) {
                    blocks += unit.size();
                    failures.addAll(compile(javac, files, unit, Files.createTempDirectory(out, "classes")));
                }
            }
        }
        assertTrue(blocks > 10, "found only " + blocks + " Java blocks: is the documentation where this test looks?");
        if (!failures.isEmpty()) {
            fail(failures.size() + " compilation error(s) in the documentation's Java blocks:\n"
                    + String.join("\n", failures));
        }
    }

    /** The page's Java blocks, grouped: one group per declared package, one per block without. */
    private static List<List<Markdown.Block>> units(Path page) {
        Map<String, List<Markdown.Block>> byPackage = new LinkedHashMap<>();
        List<List<Markdown.Block>> units = new ArrayList<>();
        for (Markdown.Block b : Markdown.blocks(page)) {
            if (!b.language().equals("java")) {
                continue;
            }
            Matcher p = PACKAGE.matcher(b.text());
            if (p.find()) {
                byPackage.computeIfAbsent(p.group(1), k -> {
                    List<Markdown.Block> unit = new ArrayList<>();
                    units.add(unit);
                    return unit;
                }).add(b);
            } else {
                units.add(List.of(b));
            }
        }
        return units;
    }

    private static List<String> compile(JavaCompiler javac, StandardJavaFileManager files, List<Markdown.Block> unit,
                                        Path out) {
        Map<JavaFileObject, Markdown.Block> sources = new LinkedHashMap<>();
        for (Markdown.Block b : unit) {
            sources.put(new Snippet(b), b);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-proc:none", "-d", out.toString(),
                "-classpath", System.getProperty("java.class.path"));
        javac.getTask(null, files, diagnostics, options, null, sources.keySet()).call();
        List<String> failures = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                Markdown.Block b = sources.get(d.getSource());
                String where = b == null ? "?" : Markdown.name(b.file()) + ":" + (b.firstLine() + d.getLineNumber() - 1);
                failures.add(where + ": " + d.getMessage(Locale.ROOT));
            }
        }
        return failures;
    }

    /** A block as a source file, named after its public type (javac requires it) or {@code Snippet}. */
    private static final class Snippet extends SimpleJavaFileObject {

        private final String text;

        Snippet(Markdown.Block block) {
            super(URI.create("string:///" + path(block.text())), Kind.SOURCE);
            this.text = block.text();
        }

        private static String path(String text) {
            Matcher pkg = PACKAGE.matcher(text);
            Matcher type = PUBLIC_TYPE.matcher(text);
            String name = type.find() ? type.group(1) : "Snippet";
            return (pkg.find() ? pkg.group(1).replace('.', '/') + "/" : "") + name + ".java";
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
