package jp.kitamoto.lists.web.support;

import io.javalin.http.Context;
import jp.kitamoto.lists.web.auth.StaffUser;
import org.apache.ibatis.session.SqlSession;

import java.util.Map;
import java.util.Optional;

/**
 * What routes need from admin-web: rendering, the current staff member, CSRF and audit logging. Implemented once by
 * admin-web; route modules receive it in {@link WebModule#register} and never downcast it: anything more a module
 * needs (sessions, services) comes through its constructor.
 */
public interface WebSupport {

    /** Renders a precompiled jte template (e.g. {@code "staff/lists.jte"}) as {@code text/html; charset=UTF-8}. */
    void render(Context ctx, String template, Map<String, Object> params);

    /** The layout model for a page with this title (staff, CSRF token and flash filled in). */
    Page page(Context ctx, String title);

    /**
     * The message catalogue of this request's reader, decided here once for every page and every mail written in
     * answer to the request: the language switch's cookie, else the browser's {@code Accept-Language}, else
     * Japanese (admin-web's implementation, {@code http/ReaderLanguage}); this default is Japanese.
     */
    default jp.kitamoto.lists.text.Texts texts(Context ctx) {
        return jp.kitamoto.lists.text.Texts.japanese();
    }

    /** The signed-in staff member, if any. */
    Optional<StaffUser> staff(Context ctx);

    /** The signed-in staff member; otherwise the request ends with a redirect to the login page. */
    StaffUser requireStaff(Context ctx);

    /** Ends the request with 403 unless {@code allowed}. */
    void require(Context ctx, boolean allowed);

    /** The CSRF token of this session, for a hidden {@code _csrf} field. */
    String csrfToken(Context ctx);

    /** A message shown once on the next page (after a redirect). */
    void flash(Context ctx, String message);

    /** Appends to the audit log as the signed-in staff member (or {@code public}), with the client address. */
    void audit(Context ctx, String action, Long listId, String target, String detail);

    /** The same inside the caller's transaction. */
    void audit(SqlSession session, Context ctx, String action, Long listId, String target, String detail);

    /** Writes a Japanese error page with this status (never a stack trace); {@code message} null: a standard text. */
    void errorPage(Context ctx, io.javalin.http.HttpStatus status, String message);

    /** The dependencies admin-web was started with. */
    WebDeps deps();
}
