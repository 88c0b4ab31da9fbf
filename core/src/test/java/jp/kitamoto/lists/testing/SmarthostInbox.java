package jp.kitamoto.lists.testing;

import com.icegreen.greenmail.base.GreenMailOperations;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.util.Arrays;
import java.util.List;

/** What GreenMail, standing in for the smarthost, received: per envelope recipient, and per subscription. */
public final class SmarthostInbox {
    private SmarthostInbox() {
    }

    /** The copies delivered to one envelope recipient (the To: header of a list copy names the list, not them). */
    public static List<MimeMessage> inbox(GreenMailOperations greenMail, String address) {
        GreenMailUser user = greenMail.getUserManager().getUserByEmail(address);
        if (user == null) {
            return List.of();
        }
        try {
            return greenMail.getManagers().getImapHostManager().getInbox(user).getMessages().stream()
                    .map(StoredMessage::getMimeMessage).toList();
        } catch (FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many different subscriptions got a copy: the VERP Return-Path is unique per subscription. */
    public static long distinctReturnPaths(GreenMailOperations greenMail) {
        return Arrays.stream(greenMail.getReceivedMessages()).map(m -> {
            try {
                return m.getHeader("Return-Path", null);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).distinct().count();
    }
}
