package jp.kitamoto.lists.schedules.timing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Japanese public holidays and other days off (振替休日, 国民の休日), read from a file in the Cabinet Office's
 * {@code syukujitsu.csv} format (UTF-8). See {@code config/holidays/README.md} for the source and how to update it.
 */
public final class HolidayCalendar {
    private static final Logger log = LoggerFactory.getLogger(HolidayCalendar.class);
    public static final String RESOURCE = "config/holidays/syukujitsu.csv";
    private static final DateTimeFormatter SLASHED = DateTimeFormatter.ofPattern("uuuu/M/d");

    private final NavigableMap<LocalDate, String> holidays;

    public HolidayCalendar(Map<LocalDate, String> holidays) {
        this.holidays = Collections.unmodifiableNavigableMap(new TreeMap<>(holidays));
    }

    /**
     * The file {@code config/holidays/syukujitsu.csv} under {@code baseDir} if it exists (an operator's update),
     * else the copy packed into the server.
     */
    public static HolidayCalendar load(Path baseDir) {
        Path file = baseDir.resolve(RESOURCE);
        try {
            if (Files.isRegularFile(file)) {
                return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            }
            try (InputStream in = HolidayCalendar.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("holiday data missing: " + RESOURCE);
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + RESOURCE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read holiday data", e);
        }
    }

    /** The packed copy only (tests). */
    public static HolidayCalendar packed() {
        return load(Path.of("/nonexistent-" + System.nanoTime()));
    }

    static HolidayCalendar parse(String csv, String source) {
        Map<LocalDate, String> map = new TreeMap<>();
        int lineNo = 0;
        for (String line : csv.replace("\uFEFF", "").split("\r?\n")) {
            lineNo++;
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#") || !Character.isDigit(l.charAt(0))) {
                continue; // the header line and comments
            }
            String[] cols = l.split(",", 2);
            try {
                map.put(LocalDate.parse(cols[0].trim(), SLASHED), cols.length > 1 ? cols[1].trim() : "");
            } catch (DateTimeParseException e) {
                throw new IllegalStateException(source + " line " + lineNo + ": not a date: " + cols[0], e);
            }
        }
        if (map.isEmpty()) {
            throw new IllegalStateException(source + " has no holidays");
        }
        HolidayCalendar cal = new HolidayCalendar(map);
        log.info("holiday data from {}: {} days up to {}", source, map.size(), cal.lastCoveredYear());
        return cal;
    }

    public boolean isHoliday(LocalDate date) {
        return holidays.containsKey(date);
    }

    /** The holiday's name (元日, 休日, ...), or empty. */
    public String name(LocalDate date) {
        return holidays.getOrDefault(date, "");
    }

    /** Not Saturday, Sunday or a holiday: the city office is open. */
    public boolean isBusinessDay(LocalDate date) {
        DayOfWeek d = date.getDayOfWeek();
        return d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY && !isHoliday(date);
    }

    /** Dates after the end of this year are treated as ordinary days; the data must be updated before then. */
    public int lastCoveredYear() {
        return holidays.lastKey().getYear();
    }

    public boolean covers(LocalDate date) {
        return date.getYear() <= lastCoveredYear();
    }
}
