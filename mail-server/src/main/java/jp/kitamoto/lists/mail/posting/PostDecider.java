package jp.kitamoto.lists.mail.posting;

import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mail.rules.Decision;
import jp.kitamoto.lists.mail.rules.PostContext;
import jp.kitamoto.lists.mail.rules.PostingPolicy;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.SubscriptionMapper;
import org.apache.ibatis.session.SqlSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Asks the list's {@link PostingPolicy} about a received post: gathers who sent it and answers the rules'
 * membership questions from the store, in the receiving transaction.
 */
final class PostDecider {
    private final String domain;

    PostDecider(String domain) {
        this.domain = domain;
    }

    /** The decision, and the address the post is recorded as from (From first, then Sender, then the envelope). */
    record Decided(Decision decision, Optional<String> sender) {
    }

    Decided decide(SqlSession session, MailingList list, ParsedMessage message, String envelopeFrom) {
        List<String> senders = new ArrayList<>();
        message.fromAddress().ifPresent(senders::add);
        message.tree().rawValue("Sender").flatMap(Addresses::extract).ifPresent(senders::add);
        if (envelopeFrom != null && !envelopeFrom.isBlank()) {
            senders.add(envelopeFrom);
        }
        List<String> distinct = senders.stream().distinct().toList();
        SubscriptionMapper subs = session.getMapper(SubscriptionMapper.class);
        Set<String> owners = session.getMapper(ListMapper.class).findOwners(list.id()).stream()
                .map(o -> Addresses.key(o.address())).collect(Collectors.toSet());
        PostContext context = new PostContext(list, message.tree(), message.raw().length, distinct,
                address -> subs.findByListAndAddressKey(list.id(), Addresses.key(address))
                        .map(s -> s.state() == SubscriptionState.ACTIVE || s.state() == SubscriptionState.SUSPENDED)
                        .orElse(false),
                address -> owners.contains(Addresses.key(address)),
                domain);
        return new Decided(PostingPolicy.forPolicy(list.policy()).decide(context), context.from());
    }
}
