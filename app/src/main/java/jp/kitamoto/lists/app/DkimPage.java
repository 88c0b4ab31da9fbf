package jp.kitamoto.lists.app;

import gg.jte.Content;
import io.javalin.config.RoutesConfig;
import jp.kitamoto.lists.mail.dkim.DkimPublication;
import jp.kitamoto.lists.web.support.Page;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;
import jp.kitamoto.lists.web.auth.StaffRole;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * {@code /staff/dkim}: the DNS record staff must publish for our DKIM signatures (read-only). Lives in app because
 * it joins mail-server's key to admin-web's pages; its few lines of HTML are written here rather than in a jte
 * template, which would need the jte build in this module (see {@link WebModule}).
 */
final class DkimPage implements WebModule {
    static final String PATH = "/staff/dkim";
    private final DkimPublication dkim;

    DkimPage(DkimPublication dkim) {
        this.dkim = dkim;
    }

    @Override
    public void register(RoutesConfig routes, WebSupport web) {
        routes.get(PATH, ctx -> {
            web.requireStaff(ctx);
            Page page = web.page(ctx, "DKIM（送信ドメイン認証）");
            String html = dkim.enabled()
                    ? "<h1>DKIM（送信ドメイン認証）</h1>\n"
                    + "<p>このサーバーは、送るメールすべてに <code>d=" + esc(dkim.domain()) + "</code>・セレクター <code>"
                    + esc(dkim.selector()) + "</code> のDKIM署名を付けています。受信側が署名を確かめられるよう、次のTXTレコードをDNSに登録してください。</p>\n"
                    + "<dl><dt>名前</dt><dd><code>" + esc(dkim.recordName()) + "</code></dd>\n"
                    + "<dt>値（1行で入力する画面向け）</dt><dd><pre style=\"white-space: pre-wrap; word-break: break-all\">"
                    + esc(dkim.txtValue()) + "</pre></dd>\n"
                    + "<dt>ゾーンファイルの書き方</dt><dd><pre style=\"white-space: pre-wrap; word-break: break-all\">"
                    + esc(dkim.zoneLine()) + "</pre></dd>\n"
                    + "<dt>秘密鍵のファイル</dt><dd><code>" + esc(dkim.keyFile()) + "</code></dd></dl>\n"
                    : "<h1>DKIM（送信ドメイン認証）</h1>\n<p>このサーバーでの署名は無効です（<code>dkim.enabled: false</code>）。"
                    + "配送を受け持つMTA（OpenDKIM、rspamd など）で <code>" + esc(dkim.domain()) + "</code> の署名を付けてください。</p>\n";
            Content body = out -> out.writeContent(html);
            web.render(ctx, "layout.jte", Map.of("page", page, "content", body));
        });
    }

    @Override
    public List<MenuLink> menu() {
        return List.of(new MenuLink("DKIM", PATH, EnumSet.of(StaffRole.ADMIN)));
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
