package jp.kitamoto.lists.search;

import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.store.ArchiveTextMapper.Hit;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.testing.MovableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The archive search over the real schema (V009, per database) and the real indexing of decoded text: any substring
 * of Japanese and English, two-character words included, newest first, only archived posts of the list asked.
 * Runs on SQLite ({@link SqliteArchiveSearchTest}) and PostgreSQL ({@link PostgresArchiveSearchTest}).
 */
abstract class ArchiveSearchTest {
    @TempDir
    Path dir;
    Database db;
    ArchiveSearch search;
    final MovableClock clock = new MovableClock();
    long bunka;
    long other;

    abstract Database freshDatabase(Path dir);

    @BeforeEach
    void open() {
        db = freshDatabase(dir);
        ListService lists = new ListService(db, clock);
        String suffix = Long.toString(System.nanoTime(), 36);
        bunka = lists.create("s" + suffix, "文化", "", PurposeCategory.EDUCATION_CULTURE, ListKind.PURPOSE,
                ListPolicy.DISCUSSION, ArchiveVisibility.PUBLIC, "s" + suffix, "", List.of()).id();
        other = lists.create("m" + suffix, "会員限定", "", PurposeCategory.GENERAL, ListKind.PURPOSE,
                ListPolicy.DISCUSSION, ArchiveVisibility.MEMBERS, "m" + suffix, "", List.of()).id();
        search = new ArchiveSearch(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void findsATwoCharacterJapaneseWordInTheMiddleOfASentence() {
        archive(bunka, utf8("訓練のお知らせ", "来週の土曜日に北本駅前で防災訓練を行います。\r\nご参加ください。\r\n"));
        archive(bunka, utf8("別の話題", "図書館の本の返却について。\r\n"));

        assertThat(subjects("北本")).containsExactly("訓練のお知らせ");
        assertThat(subjects("防災")).containsExactly("訓練のお知らせ");
        assertThat(subjects("本")).containsExactlyInAnyOrder("訓練のお知らせ", "別の話題");
        assertThat(subjects("北本駅前")).containsExactly("訓練のお知らせ");
        assertThat(subjects("南本")).isEmpty();
    }

    @Test
    void findsAShortWordAtTheVeryEndOfASubjectOrBodyAndAWholeTwoCharacterText() {
        archive(bunka, utf8("集合場所は北本", "防災\r\n"));
        archive(bunka, utf8("本", "ー"));
        assertThat(subjects("北本")).containsExactly("集合場所は北本");
        assertThat(subjects("防災")).containsExactly("集合場所は北本");
        assertThat(subjects("本")).containsExactlyInAnyOrder("集合場所は北本", "本");
        assertThat(subjects("ー")).containsExactly("本");
    }

    @Test
    void aShortWordThatBeginsManyTrigramsIsFoundByReadingTheTexts() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= ArchiveSearch.MAX_TRIGRAMS + 10; i++) {
            many.append("北").append((char) ('ぁ' + i)).append("。");
        }
        archive(bunka, utf8("たくさん", many + "\r\n"));
        archive(bunka, utf8("ほかの話", "南の話です。\r\n"));
        assertThat(subjects("北")).containsExactly("たくさん");
        assertThat(subjects("北ぁ")).containsExactly("たくさん");
        assertThat(subjects("南")).containsExactly("ほかの話");
    }

    @Test
    void findsAWordOfAnIso2022JpSubject() {
        String subject = "市民活動フェアの申込書";
        String encoded = "=?ISO-2022-JP?B?" + Base64.getEncoder().encodeToString(subject.getBytes(
                Charset.forName("ISO-2022-JP"))) + "?=";
        archive(bunka, ("From: a@example.jp\r\nSubject: " + encoded + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=US-ASCII\r\n\r\nsee subject\r\n").getBytes(StandardCharsets.US_ASCII));

        assertThat(subjects("フェア")).containsExactly(subject);
        assertThat(subjects("申込")).containsExactly(subject);
        assertThat(subjects("$B")).as("the encoded bytes are not what is indexed").isEmpty();
    }

    @Test
    void findsAWordOfAShiftJisBody() {
        byte[] head = ("From: a@example.jp\r\nSubject: sjis\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=Shift_JIS\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] body = "㈱北本商事の髙橋です。会場は①体育館です。\r\n".getBytes(Charset.forName("Windows-31J"));
        archive(bunka, concat(head, body));

        assertThat(subjects("髙橋")).containsExactly("sjis");
        assertThat(subjects("①体育館")).containsExactly("sjis");
        assertThat(subjects("㈱北本商事")).containsExactly("sjis");
    }

    @Test
    void englishMatchesAnySubstringIgnoringCase() {
        archive(bunka, utf8("Spring Festival", "The APPLICATION form is attached.\r\n"));
        assertThat(subjects("application")).containsExactly("Spring Festival");
        assertThat(subjects("festiv")).containsExactly("Spring Festival");
        assertThat(subjects("pl")).containsExactly("Spring Festival");
        assertThat(subjects("form attached")).as("every word, anywhere").containsExactly("Spring Festival");
        assertThat(subjects("form missing")).isEmpty();
    }

    @Test
    void newestFirstAndPagedAndOnlyTheListAsked() {
        for (int i = 1; i <= 5; i++) {
            archive(bunka, utf8("お知らせ" + i, "北本市からのお知らせです。\r\n"));
            clock.advance(Duration.ofMinutes(1));
        }
        archive(other, utf8("会員だけのお知らせ", "北本市からのお知らせです。\r\n"));

        ArchiveSearch.Result first = search.search(bunka, "北本市", 0, 2);
        assertThat(first.hits()).extracting(Hit::subject).containsExactly("お知らせ5", "お知らせ4");
        assertThat(first.more()).isTrue();
        ArchiveSearch.Result last = search.search(bunka, "北本", 2, 2);
        assertThat(last.hits()).extracting(Hit::subject).containsExactly("お知らせ1");
        assertThat(last.more()).isFalse();
        assertThat(search.search(other, "北本市", 0, 10).hits()).extracting(Hit::subject)
                .containsExactly("会員だけのお知らせ");
    }

    @Test
    void queryMarkupAndSyntaxAreTakenLiterally() {
        archive(bunka, utf8("記号", "割引は 50% です。a_b と \"引用\" と <b>タグ</b> NEAR(x) OR y*\r\n"));
        archive(bunka, utf8("記号なし", "割引は 500 円です。aXb\r\n"));
        assertThat(subjects("50%")).containsExactly("記号");
        assertThat(subjects("a_b")).containsExactly("記号");
        assertThat(subjects("\"引用\"")).containsExactly("記号");
        assertThat(subjects("<b>タグ</b>")).containsExactly("記号");
        assertThat(subjects("NEAR(x)")).containsExactly("記号");
        assertThat(subjects("OR y*")).containsExactly("記号");
        assertThat(subjects("  ")).isEmpty();
    }

    @Test
    void aPostThatIsNotArchivedIsNeverFoundAndOldPostsAreBackfilled() {
        long held = insert(bunka, utf8("保留中", "保留された秘密の投稿\r\n"), PostState.HELD, null);
        ArchiveIndex.backfill(db);
        assertThat(subjects("秘密")).as("a held post is not in the archive").isEmpty();

        long old = insert(bunka, utf8("索引より古い投稿", "索引ができる前の投稿です。\r\n"), PostState.ACCEPTED, 99L);
        assertThat(subjects("索引")).isEmpty();
        assertThat(ArchiveIndex.backfill(db)).isEqualTo(1);
        assertThat(subjects("索引")).containsExactly("索引より古い投稿");
        assertThat(ArchiveIndex.backfill(db)).as("nothing left to do").isZero();
        assertThat(held).isNotEqualTo(old);
    }

    @Test
    void addressesAreMaskedInTheIndexSoSearchCannotRevealThem() {
        archive(bunka, utf8("連絡先", "問い合わせは yamada.taro@example.jp まで。\r\n"));
        assertThat(subjects("yamada.taro@")).isEmpty();
        assertThat(subjects("example.jp")).isEmpty();
        assertThat(search.search(bunka, "問い合わせ", 0, 10).hits().get(0).body()).contains("y…@…")
                .doesNotContain("example.jp");
    }

    private List<String> subjects(String query) {
        return search.search(bunka, query, 0, 50).hits().stream().map(Hit::subject).toList();
    }

    private static byte[] utf8(String subject, String body) {
        return ("From: a@example.jp\r\nSubject: =?UTF-8?B?" + Base64.getEncoder().encodeToString(
                subject.getBytes(StandardCharsets.UTF_8)) + "?=\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Archives a post as DistributionService does: numbered, accepted, indexed in the same transaction. */
    private void archive(long listId, byte[] raw) {
        db.inTransaction(s -> {
            ListMapper lists = s.getMapper(ListMapper.class);
            long seq = lists.reserveSequence(listId);
            long id = insertPost(s.getMapper(PostMapper.class), listId, raw, PostState.ACCEPTED, seq);
            ArchiveIndex.index(s, id, raw);
            return null;
        });
    }

    /** A post row alone, not indexed (as before V009, or a held post). */
    private long insert(long listId, byte[] raw, PostState state, Long seq) {
        return db.inTransaction(s -> insertPost(s.getMapper(PostMapper.class), listId, raw, state, seq));
    }

    private long insertPost(PostMapper posts, long listId, byte[] raw, PostState state, Long seq) {
        IdHolder key = new IdHolder();
        posts.insertPost(new Post(0, listId, PostOrigin.SMTP, seq, "<x@example.jp>", "a@example.jp", "a@example.jp",
                "subject", raw, raw, state, "", clock.millis(), clock.millis()), key);
        return key.getId();
    }
}
