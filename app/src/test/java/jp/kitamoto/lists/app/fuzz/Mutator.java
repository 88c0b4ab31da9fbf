package jp.kitamoto.lists.app.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of real messages, the kinds that found bugs in mail parsers before: bit flips, truncation,
 * repeated, inserted and deleted byte runs, spliced messages, and a few structural ones (deep nesting, many parts,
 * long lines, NUL bytes, broken encodings). The same seed gives the same cases, so a failure can be replayed.
 */
final class Mutator {
    private static final byte[][] TOKENS = {
            "\r\n".getBytes(StandardCharsets.US_ASCII), "\n".getBytes(StandardCharsets.US_ASCII),
            "\r".getBytes(StandardCharsets.US_ASCII), ":".getBytes(StandardCharsets.US_ASCII),
            "=?ISO-2022-JP?B?".getBytes(StandardCharsets.US_ASCII), "?=".getBytes(StandardCharsets.US_ASCII),
            "=?UTF-8?Q?=E3=81".getBytes(StandardCharsets.US_ASCII), "\u001b$B".getBytes(StandardCharsets.US_ASCII),
            "\u001b(B".getBytes(StandardCharsets.US_ASCII), "--".getBytes(StandardCharsets.US_ASCII),
            "Content-Type: multipart/mixed; boundary=\"x\"\r\n".getBytes(StandardCharsets.US_ASCII),
            "Content-Transfer-Encoding: base64\r\n".getBytes(StandardCharsets.US_ASCII),
            "charset=\"".getBytes(StandardCharsets.US_ASCII), "\u0000".getBytes(StandardCharsets.US_ASCII),
            ".\r\n".getBytes(StandardCharsets.US_ASCII), "From ".getBytes(StandardCharsets.US_ASCII),
            {(byte) 0x82, (byte) 0xa0}, {(byte) 0xe3, (byte) 0x81}, {(byte) 0xff, (byte) 0xfe},
    };

    private final SplittableRandom random;
    private final List<byte[]> seeds;

    Mutator(long seed, List<byte[]> seeds) {
        this.random = new SplittableRandom(seed);
        this.seeds = seeds;
    }

    /** The next case: a seed message with one to four mutations, or a structural case now and then. */
    Case next(int index) {
        int pick = random.nextInt(100);
        if (pick < 4) {
            return new Case(index, "deep nesting", deepNesting(50 + random.nextInt(3000)));
        }
        if (pick < 7) {
            return new Case(index, "many parts", manyParts(100 + random.nextInt(3000)));
        }
        byte[] message = seeds.get(random.nextInt(seeds.size())).clone();
        int rounds = 1 + random.nextInt(4);
        StringBuilder what = new StringBuilder();
        for (int i = 0; i < rounds; i++) {
            int kind = random.nextInt(8);
            what.append(what.length() == 0 ? "" : ", ");
            message = switch (kind) {
                case 0 -> { what.append("bit flips"); yield flipBits(message); }
                case 1 -> { what.append("truncation"); yield truncate(message); }
                case 2 -> { what.append("repeated run"); yield repeatRun(message); }
                case 3 -> { what.append("inserted token"); yield insertToken(message); }
                case 4 -> { what.append("deleted run"); yield deleteRun(message); }
                case 5 -> { what.append("splice"); yield splice(message); }
                case 6 -> { what.append("long line"); yield longLine(message); }
                default -> { what.append("random bytes"); yield randomBytes(message); }
            };
        }
        return new Case(index, what.toString(), message);
    }

    record Case(int index, String mutations, byte[] message) {
    }

    private int position(byte[] b) {
        return b.length == 0 ? 0 : random.nextInt(b.length);
    }

    private byte[] flipBits(byte[] b) {
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips && b.length > 0; i++) {
            b[position(b)] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
    }

    private byte[] truncate(byte[] b) {
        return Arrays.copyOf(b, position(b));
    }

    private byte[] repeatRun(byte[] b) {
        int at = position(b);
        int length = Math.min(b.length - at, 1 + random.nextInt(64));
        int times = 1 + random.nextInt(random.nextBoolean() ? 8 : 400);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + length * times);
        out.write(b, 0, at + length);
        for (int i = 0; i < times; i++) {
            out.write(b, at, length);
        }
        out.write(b, at + length, b.length - at - length);
        return out.toByteArray();
    }

    private byte[] insertToken(byte[] b) {
        return insert(b, position(b), TOKENS[random.nextInt(TOKENS.length)]);
    }

    private byte[] deleteRun(byte[] b) {
        int at = position(b);
        int length = Math.min(b.length - at, 1 + random.nextInt(200));
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        out.write(b, 0, at);
        out.write(b, at + length, b.length - at - length);
        return out.toByteArray();
    }

    private byte[] splice(byte[] b) {
        byte[] other = seeds.get(random.nextInt(seeds.size()));
        int at = position(b);
        int from = position(other);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + other.length);
        out.write(b, 0, at);
        out.write(other, from, other.length - from);
        return out.toByteArray();
    }

    private byte[] longLine(byte[] b) {
        byte[] run = new byte[999 + random.nextInt(3000)];
        boolean eightBit = random.nextBoolean();
        for (int i = 0; i < run.length; i++) {
            run[i] = eightBit ? (byte) (0x80 + random.nextInt(0x7f)) : (byte) ('a' + random.nextInt(26));
        }
        return insert(b, position(b), run);
    }

    private byte[] randomBytes(byte[] b) {
        byte[] run = new byte[1 + random.nextInt(32)];
        for (int i = 0; i < run.length; i++) {
            run[i] = (byte) random.nextInt(256);
        }
        return insert(b, position(b), run);
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + what.length);
        out.write(b, 0, at);
        out.writeBytes(what);
        out.write(b, at, b.length - at);
        return out.toByteArray();
    }

    private static byte[] deepNesting(int depth) {
        StringBuilder s = new StringBuilder("From: yamada@example.jp\r\nSubject: nested " + depth + "\r\nMIME-Version: 1.0\r\n");
        for (int i = 0; i < depth; i++) {
            s.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
        }
        s.append("Content-Type: text/plain; charset=UTF-8\r\n\r\n深い入れ子\r\n");
        for (int i = depth - 1; i >= 0; i--) {
            s.append("--b").append(i).append("--\r\n");
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] manyParts(int parts) {
        StringBuilder s = new StringBuilder("From: yamada@example.jp\r\nSubject: parts " + parts
                + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"p\"\r\n\r\n");
        for (int i = 0; i < parts; i++) {
            s.append("--p\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n部分 ").append(i).append("\r\n");
        }
        s.append("--p--\r\n");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }
}
