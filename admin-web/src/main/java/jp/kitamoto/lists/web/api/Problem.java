package jp.kitamoto.lists.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 9457 problem details ({@code application/problem+json}) for every API error: a Japanese {@code title} for the
 * city staff who read a script's output, the status, and a {@code detail} that says what to change. {@code type} is
 * {@code about:blank} (the status says it all), as RFC 9457 section 4.2.1 allows.
 */
public final class Problem extends RuntimeException {
    static final ObjectMapper JSON = new ObjectMapper();
    public static final String CONTENT_TYPE = "application/problem+json";

    private final int status;
    private final String title;
    private final String detail;
    private final Map<String, Object> extensions;

    public Problem(int status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    public Problem(int status, String title, String detail, Map<String, Object> extensions) {
        super(status + " " + detail);
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.extensions = extensions;
    }

    public int status() {
        return status;
    }

    static Problem unauthorized(String detail) {
        return new Problem(401, "認証が必要です", detail);
    }

    static Problem forbidden(String detail) {
        return new Problem(403, "この操作は許可されていません", detail);
    }

    static Problem notFound(String detail) {
        return new Problem(404, "見つかりません", detail);
    }

    static Problem badRequest(String detail) {
        return new Problem(400, "リクエストの形式が正しくありません", detail);
    }

    /** Writes this problem as the response. */
    public void write(Context ctx) {
        write(ctx, status, title, detail, extensions);
    }

    /** Writes a problem response (also used by the web app's error handlers for paths under /api/). */
    public static void write(Context ctx, int status, String title, String detail, Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        body.put("instance", ctx.path());
        body.putAll(extensions);
        try {
            ctx.status(status).contentType(CONTENT_TYPE + "; charset=utf-8").result(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Japanese title of a status the API answers with outside its own checks (404, 405, 500). */
    public static String titleFor(int status) {
        return switch (status) {
            case 400 -> "リクエストの形式が正しくありません";
            case 401 -> "認証が必要です";
            case 403 -> "この操作は許可されていません";
            case 404 -> "見つかりません";
            case 405 -> "このメソッドは使えません";
            case 413 -> "リクエストが大きすぎます";
            case 422 -> "内容に誤りがあります";
            case 429 -> "リクエストが多すぎます";
            default -> status >= 500 ? "サーバーで問題が発生しました" : "リクエストを処理できません";
        };
    }
}
