package jp.kitamoto.lists.mail.routing;

import jp.kitamoto.lists.domain.CommandKind;

import java.util.Optional;

/**
 * What a local part means: a post to a list ({@code command} empty), or one of its sub-addresses
 * ({@code bunka-request}, {@code bunka-bounces+TOKEN}, ...).
 */
public record ListAddress(String listName, Optional<CommandKind> command, Optional<String> token) {

    public boolean isPost() {
        return command.isEmpty();
    }
}
