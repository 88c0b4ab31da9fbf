package jp.kitamoto.lists.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds Japanese left on pages served in English (#12): what is left once the data people typed (list names, staff
 * names, titles, holiday names) and text marked {@code lang="ja"} (the language switch's 日本語) are taken out is a
 * text missing from the English catalogue. Used by admin-web's and schedules-web's language tests.
 */
public final class JapaneseLeftovers {
    /** Kana, kanji and the full-width punctuation of Japanese text: none may be left on an English page. */
    public static final Pattern JAPANESE = Pattern.compile("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}、。「」（）：／・]+");

    private JapaneseLeftovers() {
    }

    /**
     * For each page given as {@code "name\nbody"}, its name and the Japanese words left in it; an empty list when
     * every page is English but for {@code typed}.
     */
    public static List<String> in(List<String> pages, Collection<String> typed) {
        List<String> data = new ArrayList<>(typed.stream().filter(t -> t != null && !t.isEmpty()).toList());
        data.sort((a, b) -> b.length() - a.length()); // longest first, so a name inside another goes with it
        List<String> leftovers = new ArrayList<>();
        for (String page : pages) {
            String text = page.replaceAll("<(a|span) [^>]*lang=\"ja\"[^>]*>[^<]*</(a|span)>", "");
            for (String t : data) {
                text = text.replace(t, "");
                text = text.replace(t.replace("・", "&#12539;"), "");
            }
            Matcher m = JAPANESE.matcher(text);
            List<String> words = new ArrayList<>();
            while (m.find()) {
                words.add(m.group());
            }
            if (!words.isEmpty()) {
                int nl = page.indexOf('\n');
                leftovers.add((nl < 0 ? page : page.substring(0, nl)) + ": " + words);
            }
        }
        return leftovers;
    }
}
