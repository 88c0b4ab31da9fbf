package jp.kitamoto.lists.mail.rules;

import java.util.List;

/** The outcome of the rules, with every reason that led to it ("rule-name: 理由"). */
public record Decision(Action action, List<String> reasons) {
    public static Decision accept() {
        return new Decision(Action.ACCEPT, List.of());
    }

    public String reasonsText() {
        return String.join("\n", reasons);
    }
}
