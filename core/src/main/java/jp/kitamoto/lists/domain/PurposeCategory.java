package jp.kitamoto.lists.domain;

/** The purpose categories of Kitamoto City's collaboration plan, by which civic groups are sorted. */
public enum PurposeCategory {
    EDUCATION_CULTURE("教育・文化・生涯学習・スポーツ"),
    WELFARE("高齢者福祉・障害者福祉"),
    INDUSTRY_WORK("産業振興・就業支援"),
    SAFETY_COMMUNITY("防犯・防災・地域コミュニティ"),
    GENERAL("全般");

    private final String japaneseName;

    PurposeCategory(String japaneseName) {
        this.japaneseName = japaneseName;
    }

    public String japaneseName() {
        return japaneseName;
    }
}
