package jp.kitamoto.lists.web.support;

import jp.kitamoto.lists.text.Texts;
import jp.kitamoto.lists.web.auth.StaffUser;

import java.util.List;

/**
 * What every page's layout needs: the title, the signed-in staff member (null on public pages), the CSRF token for
 * its forms, a one-time message from the previous request, the staff menu links added by modules, and the
 * request's message catalogue: a template writes its texts as {@code ${page.t("page.me.title")}}, never inline, so
 * that every page speaks the reader's language (keys in {@code messages*.properties}, section {@code page.}).
 */
public record Page(String title, StaffUser staff, String csrf, String flash, List<WebModule.MenuLink> menu,
                   Texts texts) {

    /** The text of a page key in the request's language. */
    public String t(String key) {
        return texts.get(key);
    }

    /** The text of a page key with its placeholders filled from name/value pairs. */
    public String t(String key, Object... namesAndValues) {
        return texts.format(key, namesAndValues);
    }

    /** The page's language for {@code <html lang>}. */
    public String language() {
        return texts.locale().getLanguage();
    }

    public boolean signedIn() {
        return staff != null;
    }

    public boolean hasFlash() {
        return flash != null && !flash.isBlank();
    }
}
