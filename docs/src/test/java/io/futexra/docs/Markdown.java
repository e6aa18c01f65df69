package io.futexra.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The project's Markdown pages — {@code README.md} and every {@code .md} under {@code docs/}
 * (its build output and sources aside) — split into fenced code blocks and prose, with line
 * numbers, so that a failure can name the file and line.
 */
final class Markdown {

    /** The repository's root: this module is {@code docs/}, run from its own directory. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** A fenced block: its language (the word after the fence) and its text, starting at {@code firstLine}. */
    record Block(Path file, int firstLine, String language, String text) {
    }

    /** One line of prose (outside every fenced block). */
    record Line(Path file, int number, String text) {
    }

    private Markdown() {
    }

    static List<Path> pages() {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        Path docs = ROOT.resolve("docs");
        try (Stream<Path> all = Files.walk(docs)) {
            all.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !p.startsWith(docs.resolve("target")) && !p.startsWith(docs.resolve("src")))
                    .sorted()
                    .forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    static List<Block> blocks(Path file) {
        List<Block> blocks = new ArrayList<>();
        List<String> lines = read(file);
        for (int i = 0; i < lines.size(); i++) {
            String fence = lines.get(i).strip();
            if (fence.startsWith("```")) {
                int start = i + 1;
                StringBuilder text = new StringBuilder();
                for (i = start; i < lines.size() && !lines.get(i).strip().startsWith("```"); i++) {
                    text.append(lines.get(i)).append('\n');
                }
                blocks.add(new Block(file, start + 1, fence.substring(3).strip(), text.toString()));
            }
        }
        return blocks;
    }

    static List<Line> prose(Path file) {
        List<Line> prose = new ArrayList<>();
        List<String> lines = read(file);
        boolean inBlock = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("```")) {
                inBlock = !inBlock;
            } else if (!inBlock) {
                prose.add(new Line(file, i + 1, line));
            }
        }
        return prose;
    }

    static String name(Path file) {
        return ROOT.relativize(file).toString();
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
