package jp.kitamoto.lists.mail.commands;

import jp.kitamoto.lists.domain.InboundCommand;
import org.apache.ibatis.session.SqlSession;

/** Handles one kind of mail to a list's sub-address, inside the transaction that marks it done. */
public interface InboundHandler {
    /** What was done, recorded with the command for staff to see. */
    String handle(SqlSession session, InboundCommand command);
}
