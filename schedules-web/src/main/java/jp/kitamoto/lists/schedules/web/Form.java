package jp.kitamoto.lists.schedules.web;

import io.javalin.http.Context;
import jp.kitamoto.lists.text.Texts;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values of a submitted (or prefilled) form, kept as text so that a refused form is shown again as typed.
 * Parsing methods throw {@link IllegalArgumentException} with a message in the reader's language naming the field:
 * fields are named by catalogue keys ({@code page.sched.field.*}), messages are {@code page.sched.error.*}.
 */
public final class Form {
    private final Map<String, String> values = new HashMap<>();
    private final Set<Long> lists = new LinkedHashSet<>();
    private final Texts texts;

    /** A form to fill (a new or a saved item): its messages, if any are made, are Japanese. */
    public Form() {
        this(Texts.japanese());
    }

    private Form(Texts texts) {
        this.texts = texts;
    }

    /** A submitted form, whose messages are written in {@code texts} (the reader's language). */
    public static Form of(Context ctx, Texts texts, String... names) {
        Form f = new Form(texts);
        for (String n : names) {
            String v = ctx.formParam(n);
            if (v != null) {
                f.values.put(n, v.strip());
            }
        }
        for (String s : ctx.formParams("lists")) {
            try {
                f.lists.add(Long.parseLong(s));
            } catch (NumberFormatException ignored) {
                // Not one of our checkboxes.
            }
        }
        return f;
    }

    public Form set(String name, String value) {
        values.put(name, value == null ? "" : value);
        return this;
    }

    public Form list(long id) {
        lists.add(id);
        return this;
    }

    /** The value as typed, "" when absent (for templates). */
    public String get(String name) {
        return values.getOrDefault(name, "");
    }

    /**
     * The value for a native {@code <input type=date>}: 2027-02-15. A browser drops a value in any other form (it
     * would show an empty box), so a date that was typed another way (2027/2/15, full-width digits) is rewritten when
     * it can be read, and kept as typed otherwise (the error message says what is wrong with it).
     */
    public String dateValue(String name) {
        try {
            return LocalDate.parse(normalisedDate(get(name))).toString();
        } catch (RuntimeException e) {
            return get(name);
        }
    }

    /** The value for a native {@code <input type=time>}: 09:00 (never 9:00, which a browser would drop). */
    public String timeValue(String name) {
        try {
            return parseTime(get(name)).toString();
        } catch (RuntimeException e) {
            return get(name);
        }
    }

    public boolean is(String name, String value) {
        return get(name).equals(value);
    }

    public boolean has(String name) {
        return !get(name).isEmpty();
    }

    public boolean hasList(long id) {
        return lists.contains(id);
    }

    public List<Long> lists() {
        return new ArrayList<>(lists);
    }

    /** A refusal of the form in the reader's language: a {@code page.sched.error.*} key and its values. */
    IllegalArgumentException problem(String key, Object... namesAndValues) {
        return new IllegalArgumentException(texts.format(key, namesAndValues));
    }

    /** The name of a field ({@code page.sched.field.*}) in the reader's language. */
    private String field(String labelKey) {
        return texts.get(labelKey);
    }

    String required(String name, String labelKey) {
        return required(name, labelKey, field(labelKey));
    }

    private String required(String name, String labelKey, String label) {
        String v = get(name);
        if (v.isEmpty()) {
            throw problem("page.sched.error.required", "field", label);
        }
        return v;
    }

    /** 2027-02-15 or 2027/2/15 (full-width digits accepted). */
    LocalDate date(String name, String labelKey) {
        String v = normalisedDate(required(name, labelKey));
        try {
            return LocalDate.parse(v);
        } catch (RuntimeException e) {
            throw problem("page.sched.error.date", "field", field(labelKey));
        }
    }

    /** 2027/2/15 as 2027-02-15 when it has three numbers; anything else as it is (which then fails to parse). */
    private static String normalisedDate(String typed) {
        String v = normalise(typed).replace('/', '-');
        String[] p = v.split("-");
        try {
            return p.length != 3 ? v : LocalDate.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]),
                    Integer.parseInt(p[2])).toString();
        } catch (RuntimeException e) {
            return v;
        }
    }

    /** 9:00 or 09:00. */
    LocalTime time(String name, String labelKey) {
        return time(name, labelKey, field(labelKey));
    }

    private LocalTime time(String name, String labelKey, String label) {
        String v = required(name, labelKey, label);
        try {
            return parseTime(v);
        } catch (RuntimeException e) {
            throw problem("page.sched.error.time", "field", label);
        }
    }

    private static LocalTime parseTime(String typed) {
        String[] p = normalise(typed).split(":");
        return LocalTime.of(Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 0);
    }

    /** Date and time, the time defaulting to {@code defaultTime} when left empty. */
    LocalDateTime dateTime(String date, String time, String labelKey, LocalTime defaultTime) {
        LocalDate d = date(date, labelKey);
        return d.atTime(has(time) ? time(time, labelKey,
                texts.format("page.sched.error.timeOf", "field", field(labelKey))) : defaultTime);
    }

    int number(String name, String labelKey, int min, int max) {
        String v = normalise(required(name, labelKey));
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw problem("page.sched.error.number", "field", field(labelKey), "min", min, "max", max);
        }
    }

    /** "14,7,3,1" (、 and spaces accepted). */
    List<Integer> numbers(String name, String labelKey) {
        List<Integer> out = new ArrayList<>();
        for (String s : normalise(get(name)).split("[,、\\s]+")) {
            if (s.isEmpty()) {
                continue;
            }
            try {
                out.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw problem("page.sched.error.numbers", "field", field(labelKey));
            }
        }
        return out;
    }

    /** Full-width digits and punctuation, as typed with a Japanese IME, to ASCII. */
    static String normalise(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c >= '０' && c <= '９') {
                b.append((char) (c - '０' + '0'));
            } else if (c == '－' || c == 'ー') {
                b.append('-');
            } else if (c == '／') {
                b.append('/');
            } else if (c == '，') {
                b.append(',');
            } else if (c == '：') {
                b.append(':');
            } else {
                b.append(c);
            }
        }
        return b.toString().strip();
    }
}
