package jp.kitamoto.lists.schedules.web;

import io.javalin.http.Context;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values of a submitted (or prefilled) form, kept as text so that a refused form is shown again as typed.
 * Parsing methods throw {@link IllegalArgumentException} with a Japanese message naming the field.
 */
public final class Form {
    private final Map<String, String> values = new HashMap<>();
    private final Set<Long> lists = new LinkedHashSet<>();

    public static Form of(Context ctx, String... names) {
        Form f = new Form();
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
            return date(name, name).toString();
        } catch (IllegalArgumentException e) {
            return get(name);
        }
    }

    /** The value for a native {@code <input type=time>}: 09:00 (never 9:00, which a browser would drop). */
    public String timeValue(String name) {
        try {
            return time(name, name).toString();
        } catch (IllegalArgumentException e) {
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

    String required(String name, String label) {
        String v = get(name);
        if (v.isEmpty()) {
            throw new IllegalArgumentException(label + "を入力してください");
        }
        return v;
    }

    /** 2027-02-15 or 2027/2/15 (full-width digits accepted). */
    LocalDate date(String name, String label) {
        String v = normalise(required(name, label)).replace('/', '-');
        try {
            String[] p = v.split("-");
            if (p.length != 3) {
                throw new DateTimeParseException(v, v, 0);
            }
            return LocalDate.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(label + "は「2027-02-15」の形で入力してください");
        }
    }

    /** 9:00 or 09:00. */
    LocalTime time(String name, String label) {
        String v = normalise(required(name, label)).replace('：', ':');
        try {
            String[] p = v.split(":");
            return LocalTime.of(Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 0);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(label + "は「9:00」の形で入力してください");
        }
    }

    /** Date and time, the time defaulting to {@code defaultTime} when left empty. */
    LocalDateTime dateTime(String date, String time, String label, LocalTime defaultTime) {
        LocalDate d = date(date, label);
        return d.atTime(has(time) ? time(time, label + "の時刻") : defaultTime);
    }

    int number(String name, String label, int min, int max) {
        String v = normalise(required(name, label));
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(label + "は" + min + "〜" + max + "の数で入力してください");
        }
    }

    /** "14,7,3,1" (、 and spaces accepted). */
    List<Integer> numbers(String name, String label) {
        List<Integer> out = new ArrayList<>();
        for (String s : normalise(get(name)).split("[,、\\s]+")) {
            if (s.isEmpty()) {
                continue;
            }
            try {
                out.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(label + "は「14,7,3,1」のように日数をカンマで区切って入力してください");
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
