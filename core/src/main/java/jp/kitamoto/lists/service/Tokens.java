package jp.kitamoto.lists.service;

import java.security.SecureRandom;

/** Unguessable tokens for links and VERP addresses: 144 random bits, base32. */
public final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    /** 144 bits in 5-bit letters: 29 of them. */
    private static final java.util.regex.Pattern WELL_FORMED = java.util.regex.Pattern.compile("[a-z2-7]{29}");

    private Tokens() {
    }

    /**
     * Whether a string has the shape {@link #newToken()} gives (lower case). Checked before a token from outside (a
     * mail address) is looked up, so a malformed one costs no database read.
     */
    public static boolean isWellFormed(String token) {
        return token != null && WELL_FORMED.matcher(token).matches();
    }

    /**
     * A base32 token. Base32 (not base64) because the token travels in the local part of a VERP address, and some
     * MTAs fold the case of local parts.
     */
    public static String newToken() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        StringBuilder sb = new StringBuilder(29);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        }
        return sb.toString();
    }
}
