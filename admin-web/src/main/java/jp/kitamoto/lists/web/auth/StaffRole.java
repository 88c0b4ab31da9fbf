package jp.kitamoto.lists.web.auth;

/** What a staff account may do. */
public enum StaffRole {
    /** City staff: every list, every account. */
    ADMIN("管理者"),
    /** Manages the lists assigned to them: settings, members, held posts. */
    OWNER("リスト管理者"),
    /** Handles the held posts of the lists assigned to them. */
    MODERATOR("モデレーター");

    private final String japaneseName;

    StaffRole(String japaneseName) {
        this.japaneseName = japaneseName;
    }

    public String japaneseName() {
        return japaneseName;
    }
}
