package jp.kitamoto.lists.mail.rules;

import jp.kitamoto.lists.domain.ListPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A list's posting style: an ordered table of rules and what a hit means. The first DISCARD hit ends the
 * evaluation; HOLD hits are all collected, so a moderator sees every reason at once. The table per
 * {@link ListPolicy} is data, in one place ({@link #forPolicy}), not branches in the delivery path.
 */
public final class PostingPolicy {
    record Step(Rule rule, Action onHit) {
    }

    private final List<Step> steps;

    private PostingPolicy(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public static PostingPolicy forPolicy(ListPolicy policy) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(new LoopRule(), Action.DISCARD));
        steps.add(new Step(new MissingSenderRule(), Action.HOLD));
        steps.add(new Step(new ListSizeLimitRule(), Action.HOLD));
        switch (policy) {
            case DISCUSSION -> steps.add(new Step(new NonMemberRule(), Action.HOLD));
            case ANNOUNCE -> steps.add(new Step(new NotOwnerRule(), Action.HOLD));
            case MODERATED -> {
                steps.add(new Step(new NonMemberRule(), Action.HOLD));
                steps.add(new Step(new ModerateAllRule(), Action.HOLD));
            }
        }
        return new PostingPolicy(steps);
    }

    public Decision decide(PostContext post) {
        List<String> holds = new ArrayList<>();
        for (Step step : steps) {
            Optional<String> hit = step.rule().check(post);
            if (hit.isEmpty()) {
                continue;
            }
            String reason = step.rule().name() + ": " + hit.get();
            if (step.onHit() == Action.DISCARD) {
                return new Decision(Action.DISCARD, List.of(reason));
            }
            holds.add(reason);
        }
        return holds.isEmpty() ? Decision.accept() : new Decision(Action.HOLD, holds);
    }
}
