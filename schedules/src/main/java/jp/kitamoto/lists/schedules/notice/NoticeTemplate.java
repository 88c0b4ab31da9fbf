package jp.kitamoto.lists.schedules.notice;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the variables of a notice template. Each variable has a Japanese name (shown to staff) and an English alias:
 * {@code {リスト名}}/{@code {list_name}}, {@code {氏名}}/{@code {member_name}}, {@code {開催日}}/{@code {event_date}},
 * {@code {締切}}/{@code {deadline}}, {@code {リンク}}/{@code {link}}, {@code {募集名}}/{@code {call_title}},
 * {@code {残り日数}}/{@code {days_left}}.
 */
public final class NoticeTemplate {
    private static final Pattern VARIABLE = Pattern.compile("\\{([^{}\\s]{1,32})}");

    public enum Variable {
        LIST_NAME("リスト名", "list_name"),
        MEMBER_NAME("氏名", "member_name"),
        EVENT_DATE("開催日", "event_date"),
        DEADLINE("締切", "deadline"),
        LINK("リンク", "link"),
        CALL_TITLE("募集名", "call_title"),
        DAYS_LEFT("残り日数", "days_left");

        private final String ja;
        private final String en;

        Variable(String ja, String en) {
            this.ja = ja;
            this.en = en;
        }

        public String placeholder() {
            return "{" + ja + "}";
        }

        static Variable byName(String name) {
            for (Variable v : values()) {
                if (v.ja.equals(name) || v.en.equals(name)) {
                    return v;
                }
            }
            return null;
        }
    }

    private NoticeTemplate() {
    }

    /** Replaces every known variable; a variable without a value becomes empty. Unknown ones stay as written. */
    public static String render(String template, Map<Variable, String> values) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Variable v = Variable.byName(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : values.getOrDefault(v, "")));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The variables in the template that we do not know (a typo staff should fix before saving). */
    public static Set<String> unknownVariables(String template) {
        Set<String> unknown = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(template);
        while (m.find()) {
            if (Variable.byName(m.group(1)) == null) {
                unknown.add(m.group());
            }
        }
        return unknown;
    }
}
