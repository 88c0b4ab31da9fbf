package jp.kitamoto.lists.service;

import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.store.MemberMapper;
import jp.kitamoto.lists.text.Texts;
import org.apache.ibatis.session.SqlSession;

import java.util.Locale;

/**
 * The language each member reads (#12, {@code members.language}): set from the page language when they subscribe,
 * read by everything that writes mail to one member alone. Anybody we do not know reads Japanese, the default.
 */
public final class MemberLanguages {
    private MemberLanguages() {
    }

    /** The catalogue for mail to this address, inside the caller's transaction: the member's language, else Japanese. */
    public static Texts textsFor(SqlSession session, String address) {
        return textsFor(session, address, Texts.japanese());
    }

    /**
     * The same, with {@code unknown} for an address that is no member (no row): the language of the page where a
     * stranger asked for the mail, which is all we know of them.
     */
    public static Texts textsFor(SqlSession session, String address, Texts unknown) {
        return session.getMapper(MemberMapper.class).findLanguageByKey(Addresses.key(address))
                .map(Locale::forLanguageTag).map(Texts::of).orElse(unknown);
    }

    /** Records the language a member chose (only Japanese and English exist; anything else is Japanese). */
    public static void set(SqlSession session, long memberId, Locale language) {
        session.getMapper(MemberMapper.class).updateLanguage(memberId, Texts.of(language).locale().getLanguage());
    }
}
