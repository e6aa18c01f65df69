package io.futexra.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the documentation — {@code [text](path)}, {@code [text](path#anchor)},
 * {@code [text](#anchor)} — names a file or directory that exists, and its anchor a heading of
 * that page, as GitHub makes heading anchors. Links with a scheme ({@code https:}) are not followed.
 */
class LinksTest {

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    @Test
    void shouldResolveEveryRelativeLinkAndAnchor() {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        int links = 0;
        for (Path page : Markdown.pages()) {
            for (Markdown.Line line : Markdown.prose(page)) {
                Matcher m = LINK.matcher(line.text());
                while (m.find()) {
                    String target = m.group(1);
                    if (SCHEME.matcher(target).find()) {
                        continue;
                    }
                    links++;
                    int hash = target.indexOf('#');
                    String path = hash < 0 ? target : target.substring(0, hash);
                    Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
                    String where = Markdown.name(page) + ":" + line.number() + ": (" + target + ")";
                    if (!Files.exists(file)) {
                        broken.add(where + ": no such file " + Markdown.name(file));
                    } else if (hash >= 0) {
                        String anchor = target.substring(hash + 1);
                        Set<String> known = anchors.computeIfAbsent(file, LinksTest::anchors);
                        if (!known.contains(anchor)) {
                            broken.add(where + ": " + Markdown.name(file) + " has no heading with anchor #" + anchor);
                        }
                    }
                }
            }
        }
        assertTrue(links > 20, "found only " + links + " relative links: is the documentation where this test looks?");
        if (!broken.isEmpty()) {
            fail(broken.size() + " broken link(s):\n" + String.join("\n", broken));
        }
    }

    /** The anchors of a Markdown page's headings, GitHub's way; none for another kind of file. */
    private static Set<String> anchors(Path file) {
        Set<String> anchors = new HashSet<>();
        if (!file.toString().endsWith(".md")) {
            return anchors;
        }
        for (Markdown.Line line : Markdown.prose(file)) {
            if (line.text().startsWith("#")) {
                String slug = slug(line.text().replaceFirst("^#+\\s*", ""));
                String unique = slug;
                for (int n = 1; !anchors.add(unique); n++) {
                    unique = slug + "-" + n;
                }
            }
        }
        return anchors;
    }

    /** GitHub's heading anchor: lower case, punctuation but {@code -} and {@code _} dropped, spaces to {@code -}. */
    static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
